<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>GitHubAppToken</name>
    <message>
        <source>Requesting an installation token for the GitHub App</source>
        <translation>Installations-Token für die GitHub App wird angefordert</translation>
    </message>
    <message>
        <source>The connection %1 names no organization or repository.</source>
        <translation>Die Verbindung %1 nennt keine Organisation und kein Repository.</translation>
    </message>
    <message>
        <source>Looking up the GitHub App&apos;s installation on %1</source>
        <translation>Installation der GitHub App auf %1 wird gesucht</translation>
    </message>
    <message>
        <source>Listing the GitHub App&apos;s installations</source>
        <translation>Installationen der GitHub App werden aufgelistet</translation>
    </message>
    <message>
        <source>The GitHub App is not installed anywhere: install it on the organization first.</source>
        <translation>Die GitHub App ist nirgends installiert: Installieren Sie sie zuerst in der Organisation.</translation>
    </message>
    <message>
        <source>The GitHub App has several installations (%1): choose one with &quot;Find…&quot; beside Installation ID in Connections.</source>
        <translation>Die GitHub App hat mehrere Installationen (%1): Wählen Sie eine mit „Suchen…“ neben der Installations-ID unter Verbindungen.</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source> (read-only)</source>
        <translation> (schreibgeschützt)</translation>
    </message>
    <message>
        <source>The cache database is not open.</source>
        <translation>Die Cache-Datenbank ist nicht geöffnet.</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Searching the audit log</source>
        <translation>Audit-Log wird durchsucht</translation>
    </message>
    <message>
        <source>Reading runners</source>
        <translation>Runner werden gelesen</translation>
    </message>
    <message>
        <source>Drift</source>
        <translation>Abweichung</translation>
    </message>
    <message>
        <source>No runner has drifted: the next sync deletes nothing.</source>
        <translation>Kein Runner weicht ab: Die nächste Synchronisierung löscht nichts.</translation>
    </message>
    <message numerus="yes">
        <source>&lt;p&gt;The next sync would act on %n drifted runner(s):&lt;/p&gt;&lt;table cellspacing=4&gt;</source>
        <translation>
            <numerusform>&lt;p&gt;Die nächste Synchronisierung würde %n abweichenden Runner betreffen:&lt;/p&gt;&lt;table cellspacing=4&gt;</numerusform>
            <numerusform>&lt;p&gt;Die nächste Synchronisierung würde %n abweichende Runner betreffen:&lt;/p&gt;&lt;table cellspacing=4&gt;</numerusform>
        </translation>
    </message>
    <message>
        <source>delete</source>
        <translation>löschen</translation>
    </message>
    <message>
        <source>keep (busy)</source>
        <translation>behalten (beschäftigt)</translation>
    </message>
    <message>
        <source>Drift dry run</source>
        <translation>Probelauf für Abweichungen</translation>
    </message>
    <message>
        <source>Reading label policies</source>
        <translation>Label-Richtlinien werden gelesen</translation>
    </message>
    <message>
        <source>Reading provisioning records</source>
        <translation>Bereitstellungseinträge werden gelesen</translation>
    </message>
    <message>
        <source>Reading containers</source>
        <translation>Container werden gelesen</translation>
    </message>
    <message>
        <source>Reading jobs</source>
        <translation>Jobs werden gelesen</translation>
    </message>
    <message>
        <source>container port</source>
        <translation>Container-Port</translation>
    </message>
    <message>
        <source>host port</source>
        <translation>Host-Port</translation>
    </message>
    <message>
        <source>A host port needs the container port it leads to.</source>
        <translation>Ein Host-Port braucht den Container-Port, zu dem er führt.</translation>
    </message>
    <message>
        <source>The label &quot;%1&quot; is not allowed: label keys must not be empty and &quot;opsdeck.&quot; is Opsdeck&apos;s own prefix.</source>
        <translation>Das Label „%1“ ist nicht erlaubt: Label-Schlüssel dürfen nicht leer sein, und „opsdeck.“ ist Opsdecks eigenes Präfix.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a restart policy: use %2.</source>
        <translation>„%1“ ist keine Neustart-Richtlinie: Verwenden Sie %2.</translation>
    </message>
    <message>
        <source>The command &quot;%1&quot; has unbalanced quotes.</source>
        <translation>Der Befehl „%1“ hat unausgeglichene Anführungszeichen.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a new repository name: use lower-case letters, digits and single hyphens (&quot;%2&quot;).</source>
        <translation>„%1“ ist kein Name für ein neues Repository: Verwenden Sie Kleinbuchstaben, Ziffern und einzelne Bindestriche („%2“).</translation>
    </message>
    <message>
        <source>Choose the GitHub connection that creates the repository.</source>
        <translation>Wählen Sie die GitHub-Verbindung, die das Repository anlegt.</translation>
    </message>
    <message>
        <source>%1 is not a directory.</source>
        <translation>%1 ist kein Verzeichnis.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a compose project name: lower-case letters, digits and hyphens.</source>
        <translation>„%1“ ist kein Compose-Projektname: Kleinbuchstaben, Ziffern und Bindestriche.</translation>
    </message>
    <message>
        <source>route port</source>
        <translation>Routen-Port</translation>
    </message>
    <message>
        <source>Choose the Docker host to deploy to.</source>
        <translation>Wählen Sie den Docker-Host, auf dem bereitgestellt wird.</translation>
    </message>
    <message>
        <source>A tunnel route needs the container port it leads to.</source>
        <translation>Eine Tunnel-Route braucht den Container-Port, zu dem sie führt.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a file inside the repository: give its path relative to the repository, without &quot;..&quot;.</source>
        <translation>„%1“ ist keine Datei im Repository: Geben Sie ihren Pfad relativ zum Repository an, ohne „..“.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a compose service name: letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;.</source>
        <translation>„%1“ ist kein Compose-Dienstname: Buchstaben, Ziffern, &apos;_&apos;, &apos;.&apos; oder &apos;-&apos;.</translation>
    </message>
    <message>
        <source>The container port %1 is not a port: use 1 to 65535.</source>
        <translation>Der Container-Port %1 ist kein Port: Verwenden Sie 1 bis 65535.</translation>
    </message>
    <message>
        <source>Reading who owns which runner</source>
        <translation>Wird gelesen, wem welcher Runner gehört</translation>
    </message>
    <message>
        <source>Reading the people of the workspace</source>
        <translation>Personen des Arbeitsbereichs werden gelesen</translation>
    </message>
    <message>
        <source>Reading the grants of the workspace</source>
        <translation>Berechtigungen des Arbeitsbereichs werden gelesen</translation>
    </message>
    <message>
        <source>Reading %1&apos;s runners</source>
        <translation>Runner von %1 werden gelesen</translation>
    </message>
    <message>
        <source>%1, busy</source>
        <translation>%1, beschäftigt</translation>
    </message>
    <message>
        <source>Reading %1&apos;s deployments</source>
        <translation>Deployments von %1 werden gelesen</translation>
    </message>
    <message>
        <source>no containers</source>
        <translation>keine Container</translation>
    </message>
    <message>
        <source>Reading %1&apos;s audit events</source>
        <translation>Audit-Ereignisse von %1 werden gelesen</translation>
    </message>
    <message>
        <source>Reading the image allowlist</source>
        <translation>Image-Freigabeliste wird gelesen</translation>
    </message>
    <message>
        <source>Reading the image requests</source>
        <translation>Image-Anfragen werden gelesen</translation>
    </message>
    <message>
        <source>Reading the projects</source>
        <translation>Projekte werden gelesen</translation>
    </message>
    <message>
        <source>Reading what the registries hold</source>
        <translation>Inhalt der Registrys wird gelesen</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>mittel</translation>
    </message>
    <message>
        <source>low</source>
        <translation>niedrig</translation>
    </message>
    <message>
        <source>other</source>
        <translation>sonstige</translation>
    </message>
    <message>
        <source>Reading the containers</source>
        <translation>Container werden gelesen</translation>
    </message>
    <message>
        <source>Reading the hosts&apos; images</source>
        <translation>Images der Hosts werden gelesen</translation>
    </message>
    <message>
        <source>Reading the scans</source>
        <translation>Scans werden gelesen</translation>
    </message>
    <message>
        <source>no allowlist</source>
        <translation>keine Freigabeliste</translation>
    </message>
    <message>
        <source>not a reference</source>
        <translation>keine Referenz</translation>
    </message>
    <message>
        <source>never allowed</source>
        <translation>nie erlaubt</translation>
    </message>
    <message>
        <source>allowed by entry %1</source>
        <translation>erlaubt durch Eintrag %1</translation>
    </message>
    <message numerus="yes">
        <source>allowed, entry %1 expires in %n day(s)</source>
        <translation>
            <numerusform>erlaubt, Eintrag %1 läuft in %n Tag ab</numerusform>
            <numerusform>erlaubt, Eintrag %1 läuft in %n Tagen ab</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>allowing entry expires in %n day(s)</source>
        <translation>
            <numerusform>erlaubender Eintrag läuft in %n Tag ab</numerusform>
            <numerusform>erlaubender Eintrag läuft in %n Tagen ab</numerusform>
        </translation>
    </message>
    <message>
        <source>not allowed now: entry %1 expired</source>
        <translation>derzeit nicht erlaubt: Eintrag %1 ist abgelaufen</translation>
    </message>
    <message>
        <source>not allowed now</source>
        <translation>derzeit nicht erlaubt</translation>
    </message>
    <message>
        <source>%1 findings</source>
        <translation>%1 Befunde</translation>
    </message>
    <message>
        <source>no scan</source>
        <translation>kein Scan</translation>
    </message>
    <message>
        <source>the vulnerability gate blocks it: %1</source>
        <translation>die Schwachstellen-Sperre blockiert es: %1</translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform> und %n weiterer</numerusform>
            <numerusform> und %n weitere</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>exception %1 expires in %n day(s)</source>
        <translation>
            <numerusform>Ausnahme %1 läuft in %n Tag ab</numerusform>
            <numerusform>Ausnahme %1 läuft in %n Tagen ab</numerusform>
        </translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message numerus="yes">
        <source>expires in %n day(s)</source>
        <translation>
            <numerusform>läuft in %n Tag ab</numerusform>
            <numerusform>läuft in %n Tagen ab</numerusform>
        </translation>
    </message>
    <message>
        <source>in force</source>
        <translation>in Kraft</translation>
    </message>
    <message>
        <source>Reading the recent deploys</source>
        <translation>Letzte Deploys werden gelesen</translation>
    </message>
    <message>
        <source>%1 (job %2)</source>
        <translation>%1 (Job %2)</translation>
    </message>
    <message>
        <source>global</source>
        <translation>global</translation>
    </message>
    <message>
        <source>project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>entry %1: %2</source>
        <translation>Eintrag %1: %2</translation>
    </message>
    <message>
        <source>Reading the deploys</source>
        <translation>Deploys werden gelesen</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>kein Limit</translation>
    </message>
    <message>
        <source>Reading the user&apos;s keys</source>
        <translation>Schlüssel des Benutzers werden gelesen</translation>
    </message>
    <message>
        <source>Reading the user&apos;s teams</source>
        <translation>Teams des Benutzers werden gelesen</translation>
    </message>
    <message>
        <source>passed on a rerun</source>
        <translation>bei Wiederholung bestanden</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>nicht ausgeführt</translation>
    </message>
    <message>
        <source>Reading the runs of a test source</source>
        <translation>Läufe einer Testquelle werden gelesen</translation>
    </message>
    <message>
        <source>Finding the baseline run</source>
        <translation>Basislauf wird gesucht</translation>
    </message>
    <message>
        <source>Reading the history of test cases</source>
        <translation>Verlauf der Testfälle wird gelesen</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Reading what a test case left behind</source>
        <translation>Hinterlassenschaften eines Testfalls werden gelesen</translation>
    </message>
    <message>
        <source>Reading the cases of test run %1</source>
        <translation>Fälle von Testlauf %1 werden gelesen</translation>
    </message>
    <message>
        <source>new failure</source>
        <translation>neuer Fehlschlag</translation>
    </message>
    <message>
        <source>fixed</source>
        <translation>behoben</translation>
    </message>
    <message>
        <source>still failing</source>
        <translation>weiterhin fehlgeschlagen</translation>
    </message>
    <message>
        <source>new case</source>
        <translation>neuer Fall</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>importiert</translation>
    </message>
    <message>
        <source>no JUnit XML</source>
        <translation>kein JUnit-XML</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>too large</source>
        <translation>zu groß</translation>
    </message>
    <message>
        <source>not wanted</source>
        <translation>nicht gewünscht</translation>
    </message>
</context>
<context>
    <name>opsdeck::AccessReview</name>
    <message>
        <source>There is nothing to review.</source>
        <translation>Es gibt nichts zu prüfen.</translation>
    </message>
    <message>
        <source>Sign the review off with a comment: it goes into the audit log.</source>
        <translation>Zeichnen Sie die Prüfung mit einem Kommentar ab: Er kommt ins Audit-Log.</translation>
    </message>
    <message>
        <source>Say why %1 of %2 is revoked.</source>
        <translation>Begründen Sie, warum %1 von %2 entzogen wird.</translation>
    </message>
    <message>
        <source>Signing the access review off</source>
        <translation>Zugriffsprüfung wird abgezeichnet</translation>
    </message>
    <message>
        <source>Nobody revokes their own role.</source>
        <translation>Niemand entzieht sich die eigene Rolle.</translation>
    </message>
    <message>
        <source>Revoking %1 of %2</source>
        <translation>%1 von %2 wird entzogen</translation>
    </message>
    <message>
        <source>Recording the access review</source>
        <translation>Zugriffsprüfung wird festgehalten</translation>
    </message>
</context>
<context>
    <name>opsdeck::AccessReviewDialog</name>
    <message>
        <source>Access Review</source>
        <translation>Zugriffsprüfung</translation>
    </message>
    <message>
        <source>Everyone&apos;s role and every grant. Each is kept unless you tick Revoke and say why: a revoked grant is deleted, a revoked admin or superuser becomes a user, and a revoked user is deactivated. Signing off applies it all at once.</source>
        <translation>Die Rolle jeder Person und jede Berechtigung. Alles bleibt bestehen, außer Sie haken „Entziehen“ an und nennen den Grund: Eine entzogene Berechtigung wird gelöscht, ein entzogener Admin oder Superuser wird Benutzer, und ein entzogener Benutzer wird deaktiviert. Das Abzeichnen wendet alles auf einmal an.</translation>
    </message>
    <message>
        <source>Filter by person, role or grant</source>
        <translation>Nach Person, Rolle oder Berechtigung filtern</translation>
    </message>
    <message>
        <source>Your comment for the sign-off (required)</source>
        <translation>Ihr Kommentar zum Abzeichnen (erforderlich)</translation>
    </message>
    <message>
        <source>&amp;Sign Off</source>
        <translation>&amp;Abzeichnen</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s); %1 to revoke.</source>
        <translation>
            <numerusform>%n Eintrag; %1 zu entziehen.</numerusform>
            <numerusform>%n Einträge; %1 zu entziehen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Signing off…</source>
        <translation>Wird abgezeichnet…</translation>
    </message>
    <message>
        <source>People and grants to review</source>
        <translation>Zu prüfende Personen und Berechtigungen</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
</context>
<context>
    <name>opsdeck::AlertsTab</name>
    <message>
        <source>Raised</source>
        <translation>Ausgelöst</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Past</source>
        <translation>Überschritten</translation>
    </message>
    <message>
        <source>Spend</source>
        <translation>Ausgaben</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <source>Budget alerts</source>
        <translation>Budget-Warnungen</translation>
    </message>
    <message>
        <source>Show &amp;acknowledged alerts</source>
        <translation>&amp;Bestätigte Warnungen anzeigen</translation>
    </message>
    <message>
        <source>Ac&amp;knowledge</source>
        <translation>Be&amp;stätigen</translation>
    </message>
    <message>
        <source>Acknowledge the selected alerts (all open ones when none is selected)</source>
        <translation>Ausgewählte Warnungen bestätigen (alle offenen, wenn keine ausgewählt ist)</translation>
    </message>
    <message>
        <source>A sync raises an alert when a budget&apos;s spend passes one of its thresholds (50, 80 and 100 % unless set with Alert Thresholds… on the Budgets tab), once a budget period.</source>
        <translation>Eine Synchronisierung löst eine Warnung aus, wenn die Ausgaben eines Budgets eine seiner Schwellen überschreiten (50, 80 und 100 %, sofern nicht mit „Warnschwellen…“ im Reiter Budgets festgelegt), einmal pro Budgetzeitraum.</translation>
    </message>
    <message>
        <source>The cache database is not open.</source>
        <translation>Die Cache-Datenbank ist nicht geöffnet.</translation>
    </message>
</context>
<context>
    <name>opsdeck::AllowImport</name>
    <message>
        <source>the same entry as line %1.</source>
        <translation>derselbe Eintrag wie Zeile %1.</translation>
    </message>
    <message>
        <source>no reason: write one after &apos;#&apos; on the line, or give a reason for the whole import.</source>
        <translation>kein Grund: Schreiben Sie einen nach &apos;#&apos; in die Zeile, oder geben Sie einen Grund für den ganzen Import an.</translation>
    </message>
    <message>
        <source>the reason is longer than 2,000 characters.</source>
        <translation>der Grund ist länger als 2.000 Zeichen.</translation>
    </message>
    <message>
        <source>not in the synced registry: %1.</source>
        <translation>nicht in der synchronisierten Registry: %1.</translation>
    </message>
</context>
<context>
    <name>opsdeck::Allowlist</name>
    <message>
        <source>&quot;%1&quot; is not an allowlist entry: %2</source>
        <translation>„%1“ ist kein Freigabelisten-Eintrag: %2</translation>
    </message>
    <message>
        <source>Enter an image, a tag pattern, a repository or REGISTRY/NAMESPACE/*.</source>
        <translation>Geben Sie ein Image, ein Tag-Muster, ein Repository oder REGISTRY/NAMESPACE/* ein.</translation>
    </message>
    <message>
        <source>a namespace is written REGISTRY/NAMESPACE/* with no other &apos;*&apos; and no digest.</source>
        <translation>ein Namespace wird REGISTRY/NAMESPACE/* geschrieben, ohne weiteres &apos;*&apos; und ohne Digest.</translation>
    </message>
    <message>
        <source>a namespace has no tag: write REGISTRY/NAMESPACE/* alone.</source>
        <translation>ein Namespace hat kein Tag: Schreiben Sie REGISTRY/NAMESPACE/* allein.</translation>
    </message>
    <message>
        <source>the tag pattern &quot;%1&quot; may hold letters, digits, &apos;_&apos;, &apos;.&apos;, &apos;-&apos; and &apos;*&apos;, not starting with &apos;.&apos; or &apos;-&apos;.</source>
        <translation>das Tag-Muster „%1“ darf Buchstaben, Ziffern, &apos;_&apos;, &apos;.&apos;, &apos;-&apos; und &apos;*&apos; enthalten und nicht mit &apos;.&apos; oder &apos;-&apos; beginnen.</translation>
    </message>
    <message>
        <source>a tag pattern of only &apos;*&apos; is any tag: write the repository alone.</source>
        <translation>ein Tag-Muster nur aus &apos;*&apos; ist jedes Tag: Schreiben Sie das Repository allein.</translation>
    </message>
    <message>
        <source>&apos;*&apos; goes in a tag pattern (nginx:1.27-*) or at the end of a namespace (registry.example.com/team/*).</source>
        <translation>&apos;*&apos; gehört in ein Tag-Muster (nginx:1.27-*) oder ans Ende eines Namespace (registry.example.com/team/*).</translation>
    </message>
    <message>
        <source>a pinned digest is written without a tag (name@sha256:…): the digest alone says which image.</source>
        <translation>ein festgelegter Digest wird ohne Tag geschrieben (name@sha256:…): Der Digest allein sagt, welches Image.</translation>
    </message>
    <message>
        <source>the registry &quot;%1&quot; needs its full name, with a dot or a port (%1.example.com, %1:5000), to be told from a Docker Hub name.</source>
        <translation>die Registry „%1“ braucht ihren vollen Namen, mit Punkt oder Port (%1.example.com, %1:5000), um von einem Docker-Hub-Namen unterschieden zu werden.</translation>
    </message>
    <message>
        <source>all of Docker Hub is not an entry: name a namespace (bitnami/*) or images.</source>
        <translation>ganz Docker Hub ist kein Eintrag: Nennen Sie einen Namespace (bitnami/*) oder Images.</translation>
    </message>
    <message>
        <source>written in full (%1/…), the name is longer than 255 characters.</source>
        <translation>vollständig geschrieben (%1/…) ist der Name länger als 255 Zeichen.</translation>
    </message>
    <message>
        <source>global entry %1</source>
        <translation>globaler Eintrag %1</translation>
    </message>
    <message>
        <source>entry %1 of project %2</source>
        <translation>Eintrag %1 von Projekt %2</translation>
    </message>
    <message>
        <source>%1 in project %2</source>
        <translation>%1 in Projekt %2</translation>
    </message>
    <message>
        <source>%1 is allowed by %2.</source>
        <translation>%1 ist durch %2 erlaubt.</translation>
    </message>
    <message>
        <source>%1 is not allowed: %2 expired on %3.</source>
        <translation>%1 ist nicht erlaubt: %2 ist am %3 abgelaufen.</translation>
    </message>
    <message>
        <source>%1 is not allowed: no global entry allows it.</source>
        <translation>%1 ist nicht erlaubt: Kein globaler Eintrag erlaubt es.</translation>
    </message>
    <message>
        <source>%1 is not allowed: no entry of the project or global entry allows it.</source>
        <translation>%1 ist nicht erlaubt: Kein Eintrag des Projekts und kein globaler Eintrag erlaubt es.</translation>
    </message>
</context>
<context>
    <name>opsdeck::AllowlistCopy</name>
    <message>
        <source>Reading the image allowlist</source>
        <translation>Image-Freigabeliste wird gelesen</translation>
    </message>
    <message>
        <source>Allowlist entry %1: %2</source>
        <translation>Freigabelisten-Eintrag %1: %2</translation>
    </message>
    <message>
        <source>Reading the vulnerability gate</source>
        <translation>Schwachstellen-Sperre wird gelesen</translation>
    </message>
</context>
<context>
    <name>opsdeck::AllowlistModel</name>
    <message>
        <source>Entry</source>
        <translation>Eintrag</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Geltung</translation>
    </message>
    <message>
        <source>Registry</source>
        <translation>Registry</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Added by</source>
        <translation>Hinzugefügt von</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <source>Global</source>
        <translation>Global</translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>expired %1</source>
        <translation>abgelaufen %1</translation>
    </message>
</context>
<context>
    <name>opsdeck::ApplyPolicyDialog</name>
    <message>
        <source>Apply Policies to the Proxy</source>
        <translation>Richtlinien auf den Proxy anwenden</translation>
    </message>
    <message numerus="yes">
        <source>A dry run: nothing has been sent yet. %n update(s) would bring the proxy in line with the workspace&apos;s policies:</source>
        <translation>
            <numerusform>Ein Probelauf: Noch wurde nichts gesendet. %n Änderung würde den Proxy mit den Richtlinien des Arbeitsbereichs in Einklang bringen:</numerusform>
            <numerusform>Ein Probelauf: Noch wurde nichts gesendet. %n Änderungen würden den Proxy mit den Richtlinien des Arbeitsbereichs in Einklang bringen:</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Route</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Danach</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Apply %n Update(s)</source>
        <translation>
            <numerusform>%n Änderung &amp;anwenden</numerusform>
            <numerusform>%n Änderungen &amp;anwenden</numerusform>
        </translation>
    </message>
    <message>
        <source>Each update is audited with the values before and after.</source>
        <translation>Jede Änderung wird mit den Werten davor und danach auditiert.</translation>
    </message>
</context>
<context>
    <name>opsdeck::ArtifactZip</name>
    <message>
        <source>%1 inflates to more than %2 MiB; it was not read further.</source>
        <translation>%1 entpackt sich auf mehr als %2 MiB; es wurde nicht weiter gelesen.</translation>
    </message>
    <message>
        <source>%1 cannot be inflated: %2</source>
        <translation>%1 kann nicht entpackt werden: %2</translation>
    </message>
    <message>
        <source>The artifact is not a readable zip archive: %1.</source>
        <translation>Das Artefakt ist kein lesbares Zip-Archiv: %1.</translation>
    </message>
    <message>
        <source>%1 cannot be opened in the artifact: %2</source>
        <translation>%1 kann im Artefakt nicht geöffnet werden: %2</translation>
    </message>
</context>
<context>
    <name>opsdeck::AttributionTab</name>
    <message>
        <source>LiteLLM proxy</source>
        <translation>LiteLLM-Proxy</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Letzte 90 Tage</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>Letzte 12 Monate</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Dieser Monat</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>Letzter Monat</translation>
    </message>
    <message>
        <source>top </source>
        <translation>Top </translation>
    </message>
    <message>
        <source>How many groups the chart shows apart; the rest are &quot;Other&quot;</source>
        <translation>Wie viele Gruppen das Diagramm einzeln zeigt; der Rest ist „Sonstige“</translation>
    </message>
    <message>
        <source> × MAD</source>
        <translation> × MAD</translation>
    </message>
    <message>
        <source>A day is anomalous when its spend exceeds the median of the 14 days before it by more than this many median absolute deviations</source>
        <translation>Ein Tag ist auffällig, wenn seine Ausgaben den Median der 14 Tage davor um mehr als so viele mediane absolute Abweichungen übersteigen</translation>
    </message>
    <message>
        <source>E&amp;xport CSV…</source>
        <translation>CSV e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Pro&amp;xy:</source>
        <translation>Pro&amp;xy:</translation>
    </message>
    <message>
        <source>Spend &amp;by:</source>
        <translation>Ausgaben &amp;nach:</translation>
    </message>
    <message>
        <source>&amp;per:</source>
        <translation>&amp;pro:</translation>
    </message>
    <message>
        <source>&amp;Anomaly above:</source>
        <translation>&amp;Auffällig über:</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Spend</source>
        <translation>Ausgaben</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Anomalous days</source>
        <translation>Auffällige Tage</translation>
    </message>
    <message>
        <source>Spend by group</source>
        <translation>Ausgaben nach Gruppe</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>14-day median</source>
        <translation>14-Tage-Median</translation>
    </message>
    <message>
        <source>Above by</source>
        <translation>Darüber um</translation>
    </message>
    <message>
        <source>Double-click a day to see the requests that made it</source>
        <translation>Doppelklicken Sie auf einen Tag, um die Anfragen zu sehen, aus denen er besteht</translation>
    </message>
    <message>
        <source>&amp;Requests of the Day…</source>
        <translation>&amp;Anfragen des Tages…</translation>
    </message>
    <message>
        <source>Top spenders</source>
        <translation>Größte Verbraucher</translation>
    </message>
    <message>
        <source>The cache database is not open.</source>
        <translation>Die Cache-Datenbank ist nicht geöffnet.</translation>
    </message>
    <message>
        <source>Cannot attribute the spend: %1</source>
        <translation>Ausgaben können nicht zugeordnet werden: %1</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>Anomaly</source>
        <translation>Auffälligkeit</translation>
    </message>
    <message>
        <source>Spend by %1 per %2, %3 to %4</source>
        <translation>Ausgaben nach %1 pro %2, %3 bis %4</translation>
    </message>
    <message>
        <source>%1 MAD</source>
        <translation>%1 MAD</translation>
    </message>
    <message>
        <source>flat median</source>
        <translation>flacher Median</translation>
    </message>
    <message>
        <source>%1 over %2 requests from %3 to %4; %5 attributed to a %6, %7 unattributed; %8 anomalous days.</source>
        <translation>%1 über %2 Anfragen von %3 bis %4; %5 einem/einer %6 zugeordnet, %7 nicht zugeordnet; %8 auffällige Tage.</translation>
    </message>
    <message>
        <source>%1: logs %2, proxy %3</source>
        <translation>%1: Logs %2, Proxy %3</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Export Spend</source>
        <translation>Ausgaben exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Requests of %1 on %2</source>
        <translation>Anfragen von %1 am %2</translation>
    </message>
    <message>
        <source>Reading the requests…</source>
        <translation>Anfragen werden gelesen…</translation>
    </message>
    <message>
        <source>Started (UTC)</source>
        <translation>Gestartet (UTC)</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>%1 requests of %2 on %3, costliest first: %4.</source>
        <translation>%1 Anfragen von %2 am %3, teuerste zuerst: %4.</translation>
    </message>
    <message>
        <source>Groups shown apart</source>
        <translation>Gruppen einzeln gezeigt</translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditCli</name>
    <message>
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <source>The data directory.</source>
        <translation>Das Datenverzeichnis.</translation>
    </message>
    <message>
        <source>dir</source>
        <translation>Verz</translation>
    </message>
    <message>
        <source>Use the demo workspace.</source>
        <translation>Den Demo-Arbeitsbereich verwenden.</translation>
    </message>
    <message>
        <source>verify: start at the newest checkpoint at or before event N.</source>
        <translation>verify: beim neuesten Prüfpunkt bei oder vor Ereignis N beginnen.</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>export: csv or jsonl.</source>
        <translation>export: csv oder jsonl.</translation>
    </message>
    <message>
        <source>format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>export: events at or after T (ISO 8601, UTC).</source>
        <translation>export: Ereignisse ab T (ISO 8601, UTC).</translation>
    </message>
    <message>
        <source>T</source>
        <translation>T</translation>
    </message>
    <message>
        <source>export: events before T (ISO 8601, UTC).</source>
        <translation>export: Ereignisse vor T (ISO 8601, UTC).</translation>
    </message>
    <message>
        <source>export: full-text search.</source>
        <translation>export: Volltextsuche.</translation>
    </message>
    <message>
        <source>Q</source>
        <translation>Q</translation>
    </message>
    <message>
        <source>export: write to FILE instead of standard output.</source>
        <translation>export: in DATEI statt auf die Standardausgabe schreiben.</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>DATEI</translation>
    </message>
    <message>
        <source>--format must be csv or jsonl.</source>
        <translation>--format muss csv oder jsonl sein.</translation>
    </message>
    <message>
        <source>--since: &quot;%1&quot; is not an ISO 8601 time.</source>
        <translation>--since: „%1“ ist keine ISO-8601-Zeit.</translation>
    </message>
    <message>
        <source>--until: &quot;%1&quot; is not an ISO 8601 time.</source>
        <translation>--until: „%1“ ist keine ISO-8601-Zeit.</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>%1: %2 desktops, %3 events, %4 chains broken.</source>
        <translation>%1: %2 Desktops, %3 Ereignisse, %4 Ketten unterbrochen.</translation>
    </message>
    <message>
        <source>verify: the team workspace&apos;s trail, every desktop&apos;s chain in it.</source>
        <translation>verify: die Spur des Team-Arbeitsbereichs, jede Desktop-Kette darin.</translation>
    </message>
    <message>
        <source>verify --team: the workspace, if not the one the data directory joined.</source>
        <translation>verify --team: der Arbeitsbereich, falls nicht der, dem das Datenverzeichnis beigetreten ist.</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>--keep-days takes a whole number of days from 1 to %1, not &quot;%2&quot;.</source>
        <translation>--keep-days nimmt eine ganze Zahl von Tagen von 1 bis %1, nicht „%2“.</translation>
    </message>
    <message>
        <source>this desktop keeps every audit event (Settings › Audit Log); name --keep-days N to remove older ones.</source>
        <translation>dieser Desktop behält jedes Audit-Ereignis (Einstellungen › Audit-Log); geben Sie --keep-days N an, um ältere zu entfernen.</translation>
    </message>
    <message>
        <source>nothing was removed: %1</source>
        <translation>nichts wurde entfernt: %1</translation>
    </message>
    <message>
        <source>prune: keep N days of events (else Settings › Audit Log&apos;s).</source>
        <translation>prune: Ereignisse von N Tagen behalten (sonst die Angabe unter Einstellungen › Audit-Log).</translation>
    </message>
    <message>
        <source>prune: only say what would be removed.</source>
        <translation>prune: nur sagen, was entfernt würde.</translation>
    </message>
    <message>
        <source>verify, export or prune</source>
        <translation>verify, export oder prune</translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;: use verify, export or prune.</source>
        <translation>unbekannter Befehl „%1“: Verwenden Sie verify, export oder prune.</translation>
    </message>
    <message>
        <source>Verify, export or prune Opsdeck&apos;s audit log.

  opsdeck audit verify [--data-dir DIR] [--from-event N]
  opsdeck audit verify --team [--url URL] [--data-dir DIR]   every desktop&apos;s chain in the team workspace
  opsdeck audit export --format csv|jsonl [--since T] [--until T] [--query Q] [--out FILE] [--data-dir DIR]
  opsdeck audit prune [--keep-days N] [--dry-run] [--data-dir DIR]   remove events older than the audit retention keeps</source>
        <translation>Das Audit-Log von Opsdeck prüfen, exportieren oder kürzen.

  opsdeck audit verify [--data-dir VERZ] [--from-event N]
  opsdeck audit verify --team [--url URL] [--data-dir VERZ]   die Kette jedes Desktops im Team-Arbeitsbereich
  opsdeck audit export --format csv|jsonl [--since T] [--until T] [--query Q] [--out DATEI] [--data-dir VERZ]
  opsdeck audit prune [--keep-days N] [--dry-run] [--data-dir VERZ]   Ereignisse entfernen, die älter sind, als die Aufbewahrung behält</translation>
    </message>
    <message>
        <source>the failure was not recorded in the audit log: %1</source>
        <translation>der Fehlschlag wurde nicht im Audit-Log festgehalten: %1</translation>
    </message>
    <message>
        <source>(events up to %1 were removed by that desktop&apos;s audit retention before it joined)</source>
        <translation>(Ereignisse bis %1 hat die Aufbewahrung dieses Desktops vor dem Beitritt entfernt)</translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditExport</name>
    <message>
        <source>Cannot write the export: %1</source>
        <translation>Der Export kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>The export was cancelled after %1 of %2 events.</source>
        <translation>Der Export wurde nach %1 von %2 Ereignissen abgebrochen.</translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditFilter</name>
    <message>
        <source>text &quot;%1&quot;</source>
        <translation>Text „%1“</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>ab %1</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>bis %1</translation>
    </message>
    <message>
        <source>system %1</source>
        <translation>System %1</translation>
    </message>
    <message>
        <source>connection %1</source>
        <translation>Verbindung %1</translation>
    </message>
    <message>
        <source>actor &quot;%1&quot;</source>
        <translation>Akteur „%1“</translation>
    </message>
    <message>
        <source>action %1</source>
        <translation>Aktion %1</translation>
    </message>
    <message>
        <source>outcome %1</source>
        <translation>Ergebnis %1</translation>
    </message>
    <message>
        <source>source %1</source>
        <translation>Quelle %1</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>Alle Ereignisse</translation>
    </message>
    <message>
        <source>Events with %1</source>
        <translation>Ereignisse mit %1</translation>
    </message>
    <message>
        <source>Counting audit events</source>
        <translation>Audit-Ereignisse werden gezählt</translation>
    </message>
    <message>
        <source>Reading audit events</source>
        <translation>Audit-Ereignisse werden gelesen</translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditLog</name>
    <message>
        <source>Writing the audit log</source>
        <translation>Audit-Log wird geschrieben</translation>
    </message>
    <message>
        <source>Reading the audit log</source>
        <translation>Audit-Log wird gelesen</translation>
    </message>
    <message>
        <source>An imported audit event needs a source other than &quot;local&quot;.</source>
        <translation>Ein importiertes Audit-Ereignis braucht eine andere Quelle als „local“.</translation>
    </message>
    <message>
        <source>Reading the audit checkpoints</source>
        <translation>Audit-Prüfpunkte werden gelesen</translation>
    </message>
    <message>
        <source>Counting the audit events</source>
        <translation>Audit-Ereignisse werden gezählt</translation>
    </message>
    <message>
        <source>Audit event %1 was moved: it belongs at another place in the chain (events were reordered).</source>
        <translation>Audit-Ereignis %1 wurde verschoben: Es gehört an eine andere Stelle der Kette (Ereignisse wurden umsortiert).</translation>
    </message>
    <message>
        <source>Audit event %1 was edited: its content no longer matches its hash.</source>
        <translation>Audit-Ereignis %1 wurde bearbeitet: Sein Inhalt passt nicht mehr zu seinem Hash.</translation>
    </message>
    <message>
        <source>Audit event %1 was inserted: it is not part of the chain (event %2 follows the event before it).</source>
        <translation>Audit-Ereignis %1 wurde eingefügt: Es gehört nicht zur Kette (Ereignis %2 folgt auf das Ereignis davor).</translation>
    </message>
    <message>
        <source>Events before audit event %1 were deleted: the event it follows is missing (last intact event: %2).</source>
        <translation>Ereignisse vor Audit-Ereignis %1 wurden gelöscht: Das Ereignis, auf das es folgt, fehlt (letztes intaktes Ereignis: %2).</translation>
    </message>
    <message>
        <source>The checkpoint at audit event %1 does not match the event.</source>
        <translation>Der Prüfpunkt bei Audit-Ereignis %1 passt nicht zum Ereignis.</translation>
    </message>
    <message>
        <source>Verification was cancelled.</source>
        <translation>Die Prüfung wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Audit events up to %1 were deleted from the end of the log (a checkpoint names event %1).</source>
        <translation>Audit-Ereignisse bis %1 wurden am Ende des Logs gelöscht (ein Prüfpunkt nennt Ereignis %1).</translation>
    </message>
    <message numerus="yes">
        <source>The audit chain is intact: %n event(s) verified.</source>
        <translation>
            <numerusform>Die Audit-Kette ist intakt: %n Ereignis geprüft.</numerusform>
            <numerusform>Die Audit-Kette ist intakt: %n Ereignisse geprüft.</numerusform>
        </translation>
    </message>
    <message>
        <source>An audit event in the team store is not readable: %1</source>
        <translation>Ein Audit-Ereignis im Team-Speicher ist nicht lesbar: %1</translation>
    </message>
    <message>
        <source>not a JSON array</source>
        <translation>kein JSON-Array</translation>
    </message>
    <message>
        <source>it has %1 fields, not the 14 of an Opsdeck event</source>
        <translation>es hat %1 Felder, nicht die 14 eines Opsdeck-Ereignisses</translation>
    </message>
    <message>
        <source>field %1 is not text</source>
        <translation>Feld %1 ist kein Text</translation>
    </message>
    <message>
        <source>its time &quot;%1&quot; is not an ISO 8601 time</source>
        <translation>seine Zeit „%1“ ist keine ISO-8601-Zeit</translation>
    </message>
    <message>
        <source>its outcome &quot;%1&quot; is not success, failure or partial</source>
        <translation>sein Ergebnis „%1“ ist nicht success, failure oder partial</translation>
    </message>
    <message>
        <source>its details are not a JSON object</source>
        <translation>seine Details sind kein JSON-Objekt</translation>
    </message>
    <message>
        <source>The audit appender was not started.</source>
        <translation>Der Audit-Schreiber wurde nicht gestartet.</translation>
    </message>
    <message>
        <source>An audit event needs an action.</source>
        <translation>Ein Audit-Ereignis braucht eine Aktion.</translation>
    </message>
    <message>
        <source>Writing an audit checkpoint</source>
        <translation>Audit-Prüfpunkt wird geschrieben</translation>
    </message>
    <message>
        <source>Reading where the audit log was pruned</source>
        <translation>Es wird gelesen, wo das Audit-Log gekürzt wurde</translation>
    </message>
    <message>
        <source>Audit events up to %1 were removed, but no audit.prune event in the chain records a retention prune that removed them.</source>
        <translation>Audit-Ereignisse bis %1 wurden entfernt, aber kein audit.prune-Ereignis in der Kette verzeichnet eine Kürzung durch die Aufbewahrung, die sie entfernt hat.</translation>
    </message>
    <message>
        <source>Events up to %1 were removed by the audit retention on %2; the chain is verified from there.</source>
        <translation>Ereignisse bis %1 wurden am %2 durch die Aufbewahrung des Audit-Logs entfernt; die Kette ist ab dort geprüft.</translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditLogPane</name>
    <message>
        <source>Audit log</source>
        <translation>Audit-Log</translation>
    </message>
    <message>
        <source>The audit log</source>
        <translation>Das Audit-Log</translation>
    </message>
    <message>
        <source>Every action Opsdeck performs, every connection change and every failure is recorded here.</source>
        <translation>Jede Aktion von Opsdeck, jede Änderung an Verbindungen und jeder Fehler wird hier festgehalten.</translation>
    </message>
    <message>
        <source>Search actions, targets, actors, comments and details (Ctrl+F)</source>
        <translation>Aktionen, Ziele, Akteure, Kommentare und Details durchsuchen (Strg+F)</translation>
    </message>
    <message>
        <source>Search the audit log</source>
        <translation>Audit-Log durchsuchen</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Beliebige Zeit</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Custom range…</source>
        <translation>Eigener Zeitraum…</translation>
    </message>
    <message>
        <source>From (UTC, inclusive)</source>
        <translation>Von (UTC, einschließlich)</translation>
    </message>
    <message>
        <source>Until (UTC, exclusive)</source>
        <translation>Bis (UTC, ausschließlich)</translation>
    </message>
    <message>
        <source>All systems</source>
        <translation>Alle Systeme</translation>
    </message>
    <message>
        <source>Opsdeck itself</source>
        <translation>Opsdeck selbst</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Alle Aktionen</translation>
    </message>
    <message>
        <source>Whose desktop recorded the event: this one, or another of the team&apos;s (pulled from the team workspace)</source>
        <translation>Welcher Desktop das Ereignis festgehalten hat: dieser oder ein anderer des Teams (aus dem Team-Arbeitsbereich geholt)</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>Alle Ergebnisse</translation>
    </message>
    <message>
        <source>Success</source>
        <translation>Erfolg</translation>
    </message>
    <message>
        <source>Failure</source>
        <translation>Fehlschlag</translation>
    </message>
    <message>
        <source>Partial</source>
        <translation>Teilweise</translation>
    </message>
    <message>
        <source>Actor or person</source>
        <translation>Akteur oder Person</translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation>Kette &amp;prüfen</translation>
    </message>
    <message>
        <source>Check that no event was edited, deleted, inserted or reordered</source>
        <translation>Prüfen, dass kein Ereignis bearbeitet, gelöscht, eingefügt oder umsortiert wurde</translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation>E&amp;xportieren</translation>
    </message>
    <message>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <source>JSON Lines…</source>
        <translation>JSON Lines…</translation>
    </message>
    <message>
        <source>PDF report…</source>
        <translation>PDF-Bericht…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Audit events</source>
        <translation>Audit-Ereignisse</translation>
    </message>
    <message>
        <source>Select an event to see its details and chain status.</source>
        <translation>Wählen Sie ein Ereignis, um seine Details und den Kettenstatus zu sehen.</translation>
    </message>
    <message>
        <source>The audit log cannot be read: %1</source>
        <translation>Das Audit-Log kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>First event that breaks the chain: %1</source>
        <translation>Erstes Ereignis, das die Kette bricht: %1</translation>
    </message>
    <message>
        <source>All connections</source>
        <translation>Alle Verbindungen</translation>
    </message>
    <message>
        <source>All desktops</source>
        <translation>Alle Desktops</translation>
    </message>
    <message>
        <source>This desktop</source>
        <translation>Dieser Desktop</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Wird gesucht…</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>Alle Ereignisse</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n Ereignis</numerusform>
            <numerusform>%n Ereignisse</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n matching event(s)</source>
        <translation>
            <numerusform>%n passendes Ereignis</numerusform>
            <numerusform>%n passende Ereignisse</numerusform>
        </translation>
    </message>
    <message>
        <source>Imported from %1: not part of the local hash chain.</source>
        <translation>Importiert aus %1: nicht Teil der lokalen Hash-Kette.</translation>
    </message>
    <message>
        <source>Recorded on the desktop %1 by %2 (event %3 of its chain; opsdeck audit verify --team checks that chain in the team workspace).</source>
        <translation>Festgehalten auf dem Desktop %1 von %2 (Ereignis %3 seiner Kette; opsdeck audit verify --team prüft diese Kette im Team-Arbeitsbereich).</translation>
    </message>
    <message>
        <source>✔ Intact: matches its hash and follows the event before it.</source>
        <translation>✔ Intakt: passt zu seinem Hash und folgt auf das Ereignis davor.</translation>
    </message>
    <message>
        <source>✘ Its content does not match its hash: it was changed.</source>
        <translation>✘ Sein Inhalt passt nicht zu seinem Hash: Es wurde verändert.</translation>
    </message>
    <message>
        <source>✘ It does not follow the event before it: events were removed or inserted.</source>
        <translation>✘ Es folgt nicht auf das Ereignis davor: Ereignisse wurden entfernt oder eingefügt.</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>Kette</translation>
    </message>
    <message>
        <source>Hash</source>
        <translation>Hash</translation>
    </message>
    <message>
        <source>Verifying the audit chain…</source>
        <translation>Audit-Kette wird geprüft…</translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>Audit-Log exportieren</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl)</source>
        <translation>JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Exporting %1 events to %2…</source>
        <translation>%1 Ereignisse werden nach %2 exportiert…</translation>
    </message>
    <message>
        <source>Writing the PDF report %1…</source>
        <translation>PDF-Bericht %1 wird geschrieben…</translation>
    </message>
    <message numerus="yes">
        <source>Wrote the report of %n event(s) to %1.</source>
        <translation>
            <numerusform>Bericht über %n Ereignis nach %1 geschrieben.</numerusform>
            <numerusform>Bericht über %n Ereignisse nach %1 geschrieben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Preparing the demo audit log (%1 events)…</source>
        <translation>Demo-Audit-Log wird vorbereitet (%1 Ereignisse)…</translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>wird geladen…</translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditReport</name>
    <message>
        <source>Opsdeck audit report</source>
        <translation>Opsdeck-Audit-Bericht</translation>
    </message>
    <message>
        <source>Generated %1 UTC by %2.</source>
        <translation>Erstellt am %1 UTC von %2.</translation>
    </message>
    <message>
        <source>%1 matching events; the first %2 are listed. Export CSV or JSON Lines for all of them.</source>
        <translation>%1 passende Ereignisse; die ersten %2 sind aufgeführt. Exportieren Sie CSV oder JSON Lines für alle.</translation>
    </message>
    <message>
        <source>%1 matching events.</source>
        <translation>%1 passende Ereignisse.</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>The report was cancelled.</source>
        <translation>Der Bericht wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditRetention</name>
    <message>
        <source>Planning the audit retention</source>
        <translation>Die Aufbewahrung des Audit-Logs wird geplant</translation>
    </message>
    <message>
        <source>The audit retention keeps events for 1 to %1 days, not %2.</source>
        <translation>Die Aufbewahrung des Audit-Logs behält Ereignisse 1 bis %1 Tage, nicht %2.</translation>
    </message>
    <message>
        <source>The audit chain does not verify, so no event was removed: %1</source>
        <translation>Die Audit-Kette lässt sich nicht prüfen, daher wurde kein Ereignis entfernt: %1</translation>
    </message>
    <message>
        <source>The audit log changed while it was verified; no event was removed. The next prune tries again.</source>
        <translation>Das Audit-Log hat sich während der Prüfung geändert; kein Ereignis wurde entfernt. Die nächste Kürzung versucht es erneut.</translation>
    </message>
    <message>
        <source>Recording the audit prune</source>
        <translation>Die Kürzung des Audit-Logs wird festgehalten</translation>
    </message>
    <message>
        <source>Removing old audit events</source>
        <translation>Alte Audit-Ereignisse werden entfernt</translation>
    </message>
    <message>
        <source>The audit prune would have removed %1 events, not the %2 it planned; nothing was removed.</source>
        <translation>Die Kürzung hätte %1 Ereignisse entfernt, nicht die geplanten %2; nichts wurde entfernt.</translation>
    </message>
    <message numerus="yes">
        <source>events older than %n day(s)</source>
        <translation>
            <numerusform>Ereignisse älter als %n Tag</numerusform>
            <numerusform>Ereignisse älter als %n Tage</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No audit event is older than %n day(s).</source>
        <translation>
            <numerusform>Kein Audit-Ereignis ist älter als %n Tag.</numerusform>
            <numerusform>Kein Audit-Ereignis ist älter als %n Tage.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Audit events older than %n day(s) removed: %1 (%2 of this desktop&apos;s chain, %3 imported). The chain is verified from event %4 on.</source>
        <translation>
            <numerusform>Entfernte Audit-Ereignisse älter als %n Tag: %1 (%2 aus der Kette dieses Desktops, %3 importiert). Die Kette ist ab Ereignis %4 geprüft.</numerusform>
            <numerusform>Entfernte Audit-Ereignisse älter als %n Tage: %1 (%2 aus der Kette dieses Desktops, %3 importiert). Die Kette ist ab Ereignis %4 geprüft.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Audit events older than %n day(s) to remove: %1 (%2 of this desktop&apos;s chain, %3 imported).</source>
        <translation>
            <numerusform>Zu entfernende Audit-Ereignisse älter als %n Tag: %1 (%2 aus der Kette dieses Desktops, %3 importiert).</numerusform>
            <numerusform>Zu entfernende Audit-Ereignisse älter als %n Tage: %1 (%2 aus der Kette dieses Desktops, %3 importiert).</numerusform>
        </translation>
    </message>
    <message>
        <source>Older events kept until the team workspace has them: %1.</source>
        <translation>Ältere Ereignisse, die behalten werden, bis der Team-Arbeitsbereich sie hat: %1.</translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditService</name>
    <message>
        <source>Unknown export format &quot;%1&quot;.</source>
        <translation>Unbekanntes Exportformat „%1“.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n event(s) to %1.</source>
        <translation>
            <numerusform>%n Ereignis nach %1 exportiert.</numerusform>
            <numerusform>%n Ereignisse nach %1 exportiert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::BatchWriter</name>
    <message>
        <source>%1 failed: a row has %2 values instead of %3.</source>
        <translation>%1 fehlgeschlagen: Eine Zeile hat %2 Werte statt %3.</translation>
    </message>
    <message>
        <source>%1 failed: the cache is not an open SQLite database.</source>
        <translation>%1 fehlgeschlagen: Der Cache ist keine geöffnete SQLite-Datenbank.</translation>
    </message>
</context>
<context>
    <name>opsdeck::BindingLimit</name>
    <message>
        <source>it resets %1</source>
        <translation>es wird %1 zurückgesetzt</translation>
    </message>
    <message>
        <source>it does not reset</source>
        <translation>es wird nicht zurückgesetzt</translation>
    </message>
    <message>
        <source>Refused: the %1 is blocked.</source>
        <translation>Abgelehnt: %1 ist gesperrt.</translation>
    </message>
    <message>
        <source>Refused: the %1 has spent %2 of its %3; %4.</source>
        <translation>Abgelehnt: %1 hat %2 von %3 ausgegeben; %4.</translation>
    </message>
    <message>
        <source>A request of %1 would take the %2 past its %3 (%4 left); %5.</source>
        <translation>Eine Anfrage über %1 brächte %2 über %3 (%4 übrig); %5.</translation>
    </message>
    <message>
        <source>No budget applies: nothing limits spend here.</source>
        <translation>Kein Budget gilt: Hier begrenzt nichts die Ausgaben.</translation>
    </message>
    <message>
        <source>Requests pass. The %1 will stop them first: %2 left of %3; %4.</source>
        <translation>Anfragen gehen durch. %1 stoppt sie zuerst: %2 von %3 übrig; %4.</translation>
    </message>
    <message>
        <source>key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>user</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>team member budget of</source>
        <translation>Teammitglieds-Budget von</translation>
    </message>
    <message>
        <source>team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>organization</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>end customer</source>
        <translation>Endkunde</translation>
    </message>
    <message>
        <source>the proxy&apos;s budget</source>
        <translation>Budget des Proxys</translation>
    </message>
    <message>
        <source>team member</source>
        <translation>Teammitglied</translation>
    </message>
    <message>
        <source>proxy</source>
        <translation>Proxy</translation>
    </message>
</context>
<context>
    <name>opsdeck::BindingPanel</name>
    <message>
        <source>Limit</source>
        <translation>Limit</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Spend</source>
        <translation>Ausgaben</translation>
    </message>
    <message>
        <source>Max budget</source>
        <translation>Max. Budget</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>Verbleibend</translation>
    </message>
    <message>
        <source>Next reset</source>
        <translation>Nächste Rücksetzung</translation>
    </message>
    <message>
        <source>Limits a request passes</source>
        <translation>Limits, die eine Anfrage durchläuft</translation>
    </message>
    <message>
        <source>any request</source>
        <translation>jede Anfrage</translation>
    </message>
    <message>
        <source>The cost of a request: which limit would refuse it</source>
        <translation>Die Kosten einer Anfrage: welches Limit sie ablehnen würde</translation>
    </message>
    <message>
        <source>&amp;What if a request costs:</source>
        <translation>&amp;Was, wenn eine Anfrage kostet:</translation>
    </message>
    <message>
        <source>Select a key, a user, a team or a team member to see which limit stops its requests.</source>
        <translation>Wählen Sie einen Schlüssel, einen Benutzer, ein Team oder ein Teammitglied, um zu sehen, welches Limit dessen Anfragen stoppt.</translation>
    </message>
    <message>
        <source>Which limit binds</source>
        <translation>Welches Limit greift</translation>
    </message>
    <message>
        <source>The cache database is not open.</source>
        <translation>Die Cache-Datenbank ist nicht geöffnet.</translation>
    </message>
    <message>
        <source>Which limit binds: %1</source>
        <translation>Welches Limit greift: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keins</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>gesperrt</translation>
    </message>
    <message>
        <source>No budget applies to %1: nothing limits its spend.</source>
        <translation>Für %1 gilt kein Budget: Nichts begrenzt die Ausgaben.</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetAlerts</name>
    <message>
        <source>&quot;%1&quot; is not a percentage from 1 to 1000: write thresholds like 50, 80, 100.</source>
        <translation>„%1“ ist kein Prozentsatz von 1 bis 1000: Schreiben Sie Schwellen wie 50, 80, 100.</translation>
    </message>
    <message>
        <source>At most 20 thresholds.</source>
        <translation>Höchstens 20 Schwellen.</translation>
    </message>
    <message>
        <source>Reading the alert thresholds</source>
        <translation>Warnschwellen werden gelesen</translation>
    </message>
    <message>
        <source>Keeping the alert thresholds</source>
        <translation>Warnschwellen werden gespeichert</translation>
    </message>
    <message>
        <source>Reading the budgets for alerts</source>
        <translation>Budgets für Warnungen werden gelesen</translation>
    </message>
    <message>
        <source>Raising the budget alerts</source>
        <translation>Budget-Warnungen werden ausgelöst</translation>
    </message>
    <message>
        <source>Reading the budget alerts</source>
        <translation>Budget-Warnungen werden gelesen</translation>
    </message>
    <message>
        <source>Acknowledging the budget alerts</source>
        <translation>Budget-Warnungen werden bestätigt</translation>
    </message>
    <message>
        <source>%1 %2 has spent %3, %4 % of its %5 budget (past %6 %)</source>
        <translation>%1 %2 hat %3 ausgegeben, %4 % des Budgets von %5 (über %6 %)</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetCadence</name>
    <message>
        <source>&quot;%1&quot; is not a budget duration: a number and s, m, h, d, w or mo (&quot;30d&quot;, &quot;1mo&quot;).</source>
        <translation>„%1“ ist keine Budget-Dauer: eine Zahl und s, m, h, d, w oder mo („30d“, „1mo“).</translation>
    </message>
    <message>
        <source>A budget duration of zero resets all the time.</source>
        <translation>Eine Budget-Dauer von null setzt ständig zurück.</translation>
    </message>
    <message>
        <source>monthly (on the 1st)</source>
        <translation>monatlich (am 1.)</translation>
    </message>
    <message>
        <source>every %1 months</source>
        <translation>alle %1 Monate</translation>
    </message>
    <message>
        <source>weekly (on Mondays)</source>
        <translation>wöchentlich (montags)</translation>
    </message>
    <message>
        <source>every %1 weeks</source>
        <translation>alle %1 Wochen</translation>
    </message>
    <message>
        <source>daily (at midnight)</source>
        <translation>täglich (um Mitternacht)</translation>
    </message>
    <message>
        <source>every %1 days</source>
        <translation>alle %1 Tage</translation>
    </message>
    <message>
        <source>hourly</source>
        <translation>stündlich</translation>
    </message>
    <message>
        <source>every %1 hours</source>
        <translation>alle %1 Stunden</translation>
    </message>
    <message>
        <source>every minute</source>
        <translation>jede Minute</translation>
    </message>
    <message>
        <source>every %1 minutes</source>
        <translation>alle %1 Minuten</translation>
    </message>
    <message>
        <source>every second</source>
        <translation>jede Sekunde</translation>
    </message>
    <message>
        <source>every %1 seconds</source>
        <translation>alle %1 Sekunden</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetChain</name>
    <message>
        <source>Reading the budgets</source>
        <translation>Budgets werden gelesen</translation>
    </message>
    <message>
        <source>The cache has no key with the alias, abbreviation or hash &quot;%1&quot;.</source>
        <translation>Der Cache hat keinen Schlüssel mit dem Alias, der Abkürzung oder dem Hash „%1“.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; names %2 keys; give the key&apos;s abbreviation or hash instead.</source>
        <translation>„%1“ bezeichnet %2 Schlüssel; geben Sie stattdessen die Abkürzung oder den Hash des Schlüssels an.</translation>
    </message>
    <message>
        <source>key %1</source>
        <translation>Schlüssel %1</translation>
    </message>
    <message>
        <source>key %1 (%2)</source>
        <translation>Schlüssel %1 (%2)</translation>
    </message>
    <message>
        <source>The cache has no team with the id or alias &quot;%1&quot;.</source>
        <translation>Der Cache hat kein Team mit der ID oder dem Alias „%1“.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; names %2 teams; give the team&apos;s id instead.</source>
        <translation>„%1“ bezeichnet %2 Teams; geben Sie stattdessen die ID des Teams an.</translation>
    </message>
    <message>
        <source>team %1</source>
        <translation>Team %1</translation>
    </message>
    <message>
        <source>The cache has no user &quot;%1&quot;.</source>
        <translation>Der Cache hat keinen Benutzer „%1“.</translation>
    </message>
    <message>
        <source>user %1</source>
        <translation>Benutzer %1</translation>
    </message>
    <message>
        <source>The cache has no team &quot;%1&quot;.</source>
        <translation>Der Cache hat kein Team „%1“.</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 in %2</translation>
    </message>
    <message>
        <source>The cache has no member &quot;%1&quot; in team %2.</source>
        <translation>Der Cache hat kein Mitglied „%1“ im Team %2.</translation>
    </message>
    <message>
        <source>%1 in team %2</source>
        <translation>%1 im Team %2</translation>
    </message>
    <message>
        <source>The cache has no end customer &quot;%1&quot;.</source>
        <translation>Der Cache hat keinen Endkunden „%1“.</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetDeleteDialog</name>
    <message>
        <source>Delete %1 %2</source>
        <translation>%1 %2 löschen</translation>
    </message>
    <message>
        <source>Deleting user %1 on the proxy also deletes every key of theirs (%2, which spent %3 in their current periods) and their place in %4 teams. Requests with those keys fail from then on. The proxy keeps no copy.</source>
        <translation>Wird Benutzer %1 auf dem Proxy gelöscht, werden auch alle seine Schlüssel gelöscht (%2, die in ihren aktuellen Zeiträumen %3 ausgegeben haben) sowie sein Platz in %4 Teams. Anfragen mit diesen Schlüsseln schlagen danach fehl. Der Proxy behält keine Kopie.</translation>
    </message>
    <message>
        <source>Deleting key %1 on the proxy makes every request with it fail from then on; its spend logs stay. The proxy keeps no copy.</source>
        <translation>Wird Schlüssel %1 auf dem Proxy gelöscht, schlägt danach jede Anfrage damit fehl; seine Ausgaben-Logs bleiben. Der Proxy behält keine Kopie.</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>What the deletion takes with it</source>
        <translation>Was die Löschung mitnimmt</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Membership of team</source>
        <translation>Mitgliedschaft in Team</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetEdit</name>
    <message>
        <source>none</source>
        <translation>keins</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>all models</source>
        <translation>alle Modelle</translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no change to %1 %2.</source>
        <translation>Die API des Proxys bietet keine Änderung an %1 %2.</translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no %1 for a %2.</source>
        <translation>Die API des Proxys bietet kein %1 für %2.</translation>
    </message>
    <message>
        <source>%1 must be an amount from $0 to $%2.</source>
        <translation>%1 muss ein Betrag von $0 bis $%2 sein.</translation>
    </message>
    <message>
        <source>%1 must be a whole number from 0 to %2.</source>
        <translation>%1 muss eine ganze Zahl von 0 bis %2 sein.</translation>
    </message>
    <message>
        <source>Max budget</source>
        <translation>Max. Budget</translation>
    </message>
    <message>
        <source>Soft budget</source>
        <translation>Soft-Budget</translation>
    </message>
    <message>
        <source>The soft budget (%1) must be below the max budget (%2).</source>
        <translation>Das Soft-Budget (%1) muss unter dem max. Budget (%2) liegen.</translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no reset cadence for a %1.</source>
        <translation>Die API des Proxys bietet keinen Rücksetz-Rhythmus für %1.</translation>
    </message>
    <message>
        <source>Resets</source>
        <translation>Zurücksetzung</translation>
    </message>
    <message>
        <source>TPM limit</source>
        <translation>TPM-Limit</translation>
    </message>
    <message>
        <source>RPM limit</source>
        <translation>RPM-Limit</translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no model list for a %1.</source>
        <translation>Die API des Proxys bietet keine Modellliste für %1.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a model name.</source>
        <translation>„%1“ ist kein Modellname.</translation>
    </message>
    <message>
        <source>At most 500 models.</source>
        <translation>Höchstens 500 Modelle.</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Nothing would change for %1.</source>
        <translation>Für %1 würde sich nichts ändern.</translation>
    </message>
    <message>
        <source>%1 from %2 to %3</source>
        <translation>%1 von %2 auf %3</translation>
    </message>
    <message>
        <source>Change %1: %2.</source>
        <translation>%1 ändern: %2.</translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no way to block %1 %2.</source>
        <translation>Die API des Proxys bietet keine Möglichkeit, %1 %2 zu sperren.</translation>
    </message>
    <message>
        <source>%1 is blocked already.</source>
        <translation>%1 ist bereits gesperrt.</translation>
    </message>
    <message>
        <source>%1 is not blocked.</source>
        <translation>%1 ist nicht gesperrt.</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>Block %1: the proxy refuses its requests until it is unblocked.</source>
        <translation>%1 sperren: Der Proxy lehnt seine Anfragen ab, bis die Sperre aufgehoben ist.</translation>
    </message>
    <message>
        <source>Unblock %1: the proxy takes its requests again.</source>
        <translation>Sperre von %1 aufheben: Der Proxy nimmt seine Anfragen wieder an.</translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no way to delete %1 %2.</source>
        <translation>Die API des Proxys bietet keine Möglichkeit, %1 %2 zu löschen.</translation>
    </message>
    <message>
        <source>Delete user %1 and every key of theirs.</source>
        <translation>Benutzer %1 und alle seine Schlüssel löschen.</translation>
    </message>
    <message>
        <source>Delete key %1.</source>
        <translation>Schlüssel %1 löschen.</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetEditDialog</name>
    <message>
        <source>Change the Budget of %1 %2</source>
        <translation>Budget von %1 %2 ändern</translation>
    </message>
    <message>
        <source>Requests are refused once spend reaches it (none: no budget)</source>
        <translation>Anfragen werden abgelehnt, sobald die Ausgaben es erreichen (keins: kein Budget)</translation>
    </message>
    <message>
        <source>An alert only: below the max budget</source>
        <translation>Nur eine Warnung: unter dem max. Budget</translation>
    </message>
    <message>
        <source>The proxy&apos;s API has no soft budget for a %1</source>
        <translation>Die API des Proxys hat kein Soft-Budget für %1</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>The proxy&apos;s budget_duration: 30s, 12h, 1d, 7d, 30d, 1mo…</source>
        <translation>budget_duration des Proxys: 30s, 12h, 1d, 7d, 30d, 1mo…</translation>
    </message>
    <message>
        <source>all models</source>
        <translation>alle Modelle</translation>
    </message>
    <message>
        <source>Model names, separated by commas; empty: every model</source>
        <translation>Modellnamen, durch Kommas getrennt; leer: jedes Modell</translation>
    </message>
    <message>
        <source>&amp;Max budget:</source>
        <translation>&amp;Max. Budget:</translation>
    </message>
    <message>
        <source>&amp;Soft budget:</source>
        <translation>&amp;Soft-Budget:</translation>
    </message>
    <message>
        <source>&amp;Resets:</source>
        <translation>&amp;Zurücksetzung:</translation>
    </message>
    <message>
        <source>&amp;TPM limit:</source>
        <translation>&amp;TPM-Limit:</translation>
    </message>
    <message>
        <source>R&amp;PM limit:</source>
        <translation>R&amp;PM-Limit:</translation>
    </message>
    <message>
        <source>M&amp;odels:</source>
        <translation>M&amp;odelle:</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <source>The change</source>
        <translation>Die Änderung</translation>
    </message>
    <message>
        <source>&amp;Apply…</source>
        <translation>&amp;Anwenden…</translation>
    </message>
    <message>
        <source>The values before are the cache&apos;s, from the last sync. The proxy makes the change; Opsdeck records it in the audit log.</source>
        <translation>Die Werte davor sind die des Caches aus der letzten Synchronisierung. Der Proxy führt die Änderung aus; Opsdeck hält sie im Audit-Log fest.</translation>
    </message>
    <message>
        <source>Change:</source>
        <translation>Änderung:</translation>
    </message>
    <message>
        <source>the budget never resets</source>
        <translation>das Budget wird nie zurückgesetzt</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetPolicy</name>
    <message>
        <source>every model</source>
        <translation>jedes Modell</translation>
    </message>
    <message>
        <source>no model</source>
        <translation>kein Modell</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>allowed</source>
        <translation>erlaubt</translation>
    </message>
    <message>
        <source>not allowed</source>
        <translation>nicht erlaubt</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Allowed models</source>
        <translation>Erlaubte Modelle</translation>
    </message>
    <message>
        <source>Guardrails</source>
        <translation>Guardrails</translation>
    </message>
    <message>
        <source>Create connections</source>
        <translation>Verbindungen anlegen</translation>
    </message>
    <message>
        <source>Create agents</source>
        <translation>Agenten anlegen</translation>
    </message>
    <message>
        <source>Image generation</source>
        <translation>Bilderzeugung</translation>
    </message>
    <message>
        <source>Model access</source>
        <translation>Modellzugriff</translation>
    </message>
    <message>
        <source>A policy belongs to a LiteLLM connection: name one (at most 200 characters).</source>
        <translation>Eine Richtlinie gehört zu einer LiteLLM-Verbindung: Nennen Sie eine (höchstens 200 Zeichen).</translation>
    </message>
    <message>
        <source>Which %1? A policy needs its id (at most 256 characters).</source>
        <translation>Welche(s) %1? Eine Richtlinie braucht deren ID (höchstens 256 Zeichen).</translation>
    </message>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation>Der Kommentar ist länger als 2.000 Zeichen.</translation>
    </message>
    <message>
        <source>&quot;%1…&quot; is longer than 256 characters.</source>
        <translation>„%1…“ ist länger als 256 Zeichen.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; holds a control character.</source>
        <translation>„%1“ enthält ein Steuerzeichen.</translation>
    </message>
    <message numerus="yes">
        <source>%n names: a policy holds at most 500.</source>
        <translation>
            <numerusform>%n Name: Eine Richtlinie enthält höchstens 500.</numerusform>
            <numerusform>%n Namen: Eine Richtlinie enthält höchstens 500.</numerusform>
        </translation>
    </message>
    <message>
        <source>&quot;*&quot; is not a guardrail: name each guardrail.</source>
        <translation>„*“ ist kein Guardrail: Nennen Sie jeden Guardrail einzeln.</translation>
    </message>
    <message>
        <source>&quot;*&quot; means every model: it stands alone, not beside model names.</source>
        <translation>„*“ bedeutet jedes Modell: Es steht allein, nicht neben Modellnamen.</translation>
    </message>
    <message>
        <source>The stored value of a policy is not JSON: %1</source>
        <translation>Der gespeicherte Wert einer Richtlinie ist kein JSON: %1</translation>
    </message>
    <message>
        <source>The stored %1 policy is not a list of names.</source>
        <translation>Die gespeicherte Richtlinie %1 ist keine Liste von Namen.</translation>
    </message>
    <message>
        <source>The stored %1 policy holds something that is not a name.</source>
        <translation>Die gespeicherte Richtlinie %1 enthält etwas, das kein Name ist.</translation>
    </message>
    <message>
        <source>The stored %1 flag is not true or false.</source>
        <translation>Der gespeicherte Schalter %1 ist weder true noch false.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a group name: letters, digits, spaces, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, at most 64, starting with a letter or digit.</source>
        <translation>„%1“ ist kein Gruppenname: Buchstaben, Ziffern, Leerzeichen, &apos;.&apos;, &apos;_&apos; und &apos;-&apos;, höchstens 64, beginnend mit Buchstabe oder Ziffer.</translation>
    </message>
    <message>
        <source>%1 %2 is as the policy says: nothing to apply.</source>
        <translation>%1 %2 entspricht der Richtlinie: nichts anzuwenden.</translation>
    </message>
    <message>
        <source>models %1 → %2</source>
        <translation>Modelle %1 → %2</translation>
    </message>
    <message>
        <source>not known (the proxy does not report them)</source>
        <translation>unbekannt (der Proxy meldet sie nicht)</translation>
    </message>
    <message>
        <source>guardrails %1 → %2</source>
        <translation>Guardrails %1 → %2</translation>
    </message>
    <message>
        <source>Apply the policy to %1 %2: %3</source>
        <translation>Richtlinie auf %1 %2 anwenden: %3</translation>
    </message>
    <message>
        <source>Reading the budget policies</source>
        <translation>Budget-Richtlinien werden gelesen</translation>
    </message>
    <message>
        <source>as the proxy has it</source>
        <translation>wie der Proxy es hat</translation>
    </message>
    <message>
        <source>allowed (no policy)</source>
        <translation>erlaubt (keine Richtlinie)</translation>
    </message>
    <message>
        <source>no policy</source>
        <translation>keine Richtlinie</translation>
    </message>
    <message>
        <source>models on the proxy: %1; the policy (%2): %3</source>
        <translation>Modelle auf dem Proxy: %1; die Richtlinie (%2): %3</translation>
    </message>
    <message>
        <source>guardrails last applied: %1; the policy (%2): %3</source>
        <translation>Guardrails zuletzt angewendet: %1; die Richtlinie (%2): %3</translation>
    </message>
    <message>
        <source>guardrails never applied from here; the policy (%1): %2</source>
        <translation>Guardrails nie von hier angewendet; die Richtlinie (%1): %2</translation>
    </message>
    <message>
        <source>as the policy says</source>
        <translation>wie die Richtlinie sagt</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetPolicyDialog</name>
    <message>
        <source>Set a Budget Policy</source>
        <translation>Budget-Richtlinie festlegen</translation>
    </message>
    <message>
        <source>The organization id, group name, team id or user id</source>
        <translation>Die Organisations-ID, der Gruppenname, die Team-ID oder die Benutzer-ID</translation>
    </message>
    <message>
        <source>Names, separated by commas; * for every model</source>
        <translation>Namen, durch Kommas getrennt; * für jedes Modell</translation>
    </message>
    <message>
        <source>&amp;Names:</source>
        <translation>&amp;Namen:</translation>
    </message>
    <message>
        <source>&amp;Allowed</source>
        <translation>&amp;Erlaubt</translation>
    </message>
    <message>
        <source>Why (kept with the policy and in the audit log)</source>
        <translation>Warum (wird mit der Richtlinie und im Audit-Log gespeichert)</translation>
    </message>
    <message>
        <source>&amp;Set Policy</source>
        <translation>Richtlinie &amp;festlegen</translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation>&amp;Verbindung:</translation>
    </message>
    <message>
        <source>&amp;Scope:</source>
        <translation>&amp;Bereich:</translation>
    </message>
    <message>
        <source>&amp;For:</source>
        <translation>&amp;Für:</translation>
    </message>
    <message>
        <source>&amp;Item:</source>
        <translation>&amp;Element:</translation>
    </message>
    <message>
        <source>C&amp;omment:</source>
        <translation>K&amp;ommentar:</translation>
    </message>
    <message>
        <source>Name the %1 the policy is for.</source>
        <translation>Nennen Sie %1, für das die Richtlinie gilt.</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetRecordChange</name>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation>Der Kommentar ist länger als 2.000 Zeichen.</translation>
    </message>
    <message>
        <source>Which team, on which connection?</source>
        <translation>Welches Team, auf welcher Verbindung?</translation>
    </message>
    <message>
        <source>Which account, on which connection?</source>
        <translation>Welches Konto, auf welcher Verbindung?</translation>
    </message>
    <message>
        <source>Which overflow entry? It is settled by its number.</source>
        <translation>Welcher Überlauf-Eintrag? Er wird über seine Nummer beglichen.</translation>
    </message>
    <message>
        <source>A settlement needs a reference: the invoice, credit note or ticket that settles it.</source>
        <translation>Ein Ausgleich braucht eine Referenz: die Rechnung, Gutschrift oder das Ticket, das ihn begleicht.</translation>
    </message>
    <message>
        <source>The reference is longer than 200 characters.</source>
        <translation>Die Referenz ist länger als 200 Zeichen.</translation>
    </message>
    <message>
        <source>set %1 for %2 to %3</source>
        <translation>%1 für %2 auf %3 setzen</translation>
    </message>
    <message>
        <source>remove the %1 policy of %2</source>
        <translation>Richtlinie %1 von %2 entfernen</translation>
    </message>
    <message>
        <source>take team %1 out of its group</source>
        <translation>Team %1 aus seiner Gruppe nehmen</translation>
    </message>
    <message>
        <source>put team %1 in group %2</source>
        <translation>Team %1 in Gruppe %2 aufnehmen</translation>
    </message>
    <message>
        <source>set the credits factor of %1 to %2</source>
        <translation>Guthabenfaktor von %1 auf %2 setzen</translation>
    </message>
    <message>
        <source>remove the credits factor of %1</source>
        <translation>Guthabenfaktor von %1 entfernen</translation>
    </message>
    <message>
        <source>settle overflow entry %1 (%2)</source>
        <translation>Überlauf-Eintrag %1 begleichen (%2)</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetRecords</name>
    <message>
        <source>Reading the overflow ledger</source>
        <translation>Überlauf-Journal wird gelesen</translation>
    </message>
    <message>
        <source>Setting %1 for %2 %3</source>
        <translation>%1 für %2 %3 wird gesetzt</translation>
    </message>
    <message>
        <source>Which team, on which connection?</source>
        <translation>Welches Team, auf welcher Verbindung?</translation>
    </message>
    <message>
        <source>Taking team %1 out of its group</source>
        <translation>Team %1 wird aus seiner Gruppe genommen</translation>
    </message>
    <message>
        <source>Putting team %1 in group %2</source>
        <translation>Team %1 wird in Gruppe %2 aufgenommen</translation>
    </message>
    <message>
        <source>Which account, on which connection?</source>
        <translation>Welches Konto, auf welcher Verbindung?</translation>
    </message>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation>Der Kommentar ist länger als 2.000 Zeichen.</translation>
    </message>
    <message>
        <source>Setting the credits factor of %1</source>
        <translation>Guthabenfaktor von %1 wird gesetzt</translation>
    </message>
    <message>
        <source>%1 is within its budget: no overflow.</source>
        <translation>%1 liegt im Budget: kein Überlauf.</translation>
    </message>
    <message>
        <source>Recording the overflow of %1</source>
        <translation>Überlauf von %1 wird festgehalten</translation>
    </message>
    <message>
        <source>There is no overflow entry %1 in this workspace.</source>
        <translation>In diesem Arbeitsbereich gibt es keinen Überlauf-Eintrag %1.</translation>
    </message>
    <message>
        <source>Settling the overflow of %1</source>
        <translation>Überlauf von %1 wird beglichen</translation>
    </message>
    <message>
        <source>Overflow entry %1 is settled already.</source>
        <translation>Überlauf-Eintrag %1 ist bereits beglichen.</translation>
    </message>
    <message>
        <source>Reading the budget policies</source>
        <translation>Budget-Richtlinien werden gelesen</translation>
    </message>
    <message>
        <source>Reading the budget groups</source>
        <translation>Budget-Gruppen werden gelesen</translation>
    </message>
    <message>
        <source>Reading the credits factors</source>
        <translation>Guthabenfaktoren werden gelesen</translation>
    </message>
    <message>
        <source>Copying the budget records</source>
        <translation>Budget-Einträge werden kopiert</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetTreeModel</name>
    <message>
        <source>No budget</source>
        <translation>Kein Budget</translation>
    </message>
    <message>
        <source>Within budget</source>
        <translation>Im Budget</translation>
    </message>
    <message>
        <source>Near budget</source>
        <translation>Nahe am Budget</translation>
    </message>
    <message>
        <source>Past soft budget</source>
        <translation>Über dem Soft-Budget</translation>
    </message>
    <message>
        <source>Over budget</source>
        <translation>Über dem Budget</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>Team member</source>
        <translation>Teammitglied</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>End customers</source>
        <translation>Endkunden</translation>
    </message>
    <message>
        <source>End customer</source>
        <translation>Endkunde</translation>
    </message>
    <message>
        <source>Reading the LiteLLM connections</source>
        <translation>LiteLLM-Verbindungen werden gelesen</translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s keys</source>
        <translation>Schlüssel des Proxys werden gelesen</translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s organizations</source>
        <translation>Organisationen des Proxys werden gelesen</translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s teams</source>
        <translation>Teams des Proxys werden gelesen</translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s users</source>
        <translation>Benutzer des Proxys werden gelesen</translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s team members</source>
        <translation>Teammitglieder des Proxys werden gelesen</translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s end customers</source>
        <translation>Endkunden des Proxys werden gelesen</translation>
    </message>
    <message>
        <source>Reading the alert thresholds</source>
        <translation>Warnschwellen werden gelesen</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>überfällig</translation>
    </message>
    <message>
        <source>in %1 min</source>
        <translation>in %1 min</translation>
    </message>
    <message>
        <source>in %1 h</source>
        <translation>in %1 h</translation>
    </message>
    <message>
        <source>in %1 days</source>
        <translation>in %1 Tagen</translation>
    </message>
    <message>
        <source>Reading the credits factors</source>
        <translation>Guthabenfaktoren werden gelesen</translation>
    </message>
    <message>
        <source>budget_duration %1</source>
        <translation>budget_duration %1</translation>
    </message>
    <message>
        <source>%1 × the account&apos;s credits factor %2 = %3</source>
        <translation>%1 × Guthabenfaktor %2 des Kontos = %3</translation>
    </message>
    <message>
        <source>Team member (%1)</source>
        <translation>Teammitglied (%1)</translation>
    </message>
    <message>
        <source>all models</source>
        <translation>alle Modelle</translation>
    </message>
    <message>
        <source>%1 (own)</source>
        <translation>%1 (eigenes)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Spend</source>
        <translation>Ausgaben</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>Guthaben</translation>
    </message>
    <message>
        <source>Max budget</source>
        <translation>Max. Budget</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>Verbleibend</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>Verbraucht</translation>
    </message>
    <message>
        <source>Soft budget</source>
        <translation>Soft-Budget</translation>
    </message>
    <message>
        <source>Resets</source>
        <translation>Zurücksetzung</translation>
    </message>
    <message>
        <source>Next reset</source>
        <translation>Nächste Rücksetzung</translation>
    </message>
    <message>
        <source>TPM</source>
        <translation>TPM</translation>
    </message>
    <message>
        <source>RPM</source>
        <translation>RPM</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Alerts at</source>
        <translation>Warnungen bei</translation>
    </message>
    <message>
        <source>The cache database is not open.</source>
        <translation>Die Cache-Datenbank ist nicht geöffnet.</translation>
    </message>
    <message>
        <source>Reading who is on the proxy&apos;s budget plans</source>
        <translation>Wird gelesen, wer in den Budgetplänen des Proxys ist</translation>
    </message>
    <message>
        <source>account %1</source>
        <translation>Konto %1</translation>
    </message>
    <message>
        <source>key %1</source>
        <translation>Schlüssel %1</translation>
    </message>
    <message>
        <source>end customer %1</source>
        <translation>Endkunde %1</translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s budget plans</source>
        <translation>Budgetpläne des Proxys werden gelesen</translation>
    </message>
    <message>
        <source>Budget plans</source>
        <translation>Budgetpläne</translation>
    </message>
    <message>
        <source>no one is on it</source>
        <translation>niemand ist darin</translation>
    </message>
    <message>
        <source>for %1</source>
        <translation>für %1</translation>
    </message>
    <message>
        <source>Budget plan</source>
        <translation>Budgetplan</translation>
    </message>
    <message>
        <source>The spend of those on the plan together; each is held to the plan&apos;s limits on its own, and all of it returns to zero at the plan&apos;s next reset</source>
        <translation>Die gemeinsamen Ausgaben aller im Plan; jeder ist für sich an die Limits des Plans gebunden, und alles geht bei der nächsten Rücksetzung des Plans auf null zurück</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetsCli</name>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>this data directory has no LiteLLM connection.</source>
        <translation>dieses Datenverzeichnis hat keine LiteLLM-Verbindung.</translation>
    </message>
    <message>
        <source>there are several LiteLLM connections: name one with --connection (%1).</source>
        <translation>es gibt mehrere LiteLLM-Verbindungen: Nennen Sie eine mit --connection (%1).</translation>
    </message>
    <message>
        <source>there is no LiteLLM connection &quot;%1&quot; (there is: %2).</source>
        <translation>es gibt keine LiteLLM-Verbindung „%1“ (vorhanden: %2).</translation>
    </message>
    <message>
        <source>LiteLLM budgets from this desktop&apos;s cache (kept up to date by the window; offline too).

  opsdeck budgets explain [--connection NAME] --key ALIAS|--user ID|--team ID [--member USER] [--customer ID] [--cost USD] [--json]
      the limits a request passes (key, team member budget or the user&apos;s own, team, organization, end customer), each with its spend, what remains and its next reset, and the one that refuses requests or will stop them first; exit 0 when requests (of --cost) pass, 1 when a limit refuses them, 2 for a usage error or a subject the cache does not know.</source>
        <translation>LiteLLM-Budgets aus dem Cache dieses Desktops (vom Fenster aktuell gehalten; auch offline).

  opsdeck budgets explain [--connection NAME] --key ALIAS|--user ID|--team ID [--member BENUTZER] [--customer ID] [--cost USD] [--json]
      die Limits, die eine Anfrage durchläuft (Schlüssel, Teammitglieds-Budget oder das eigene des Benutzers, Team, Organisation, Endkunde), jeweils mit Ausgaben, Rest und nächster Rücksetzung, sowie das Limit, das Anfragen ablehnt oder zuerst stoppen wird; Exit-Code 0, wenn Anfragen (über --cost) durchgehen, 1, wenn ein Limit sie ablehnt, 2 bei einem Bedienfehler oder einem Subjekt, das der Cache nicht kennt.</translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <source>The data directory.</source>
        <translation>Das Datenverzeichnis.</translation>
    </message>
    <message>
        <source>dir</source>
        <translation>Verz</translation>
    </message>
    <message>
        <source>Use the demo&apos;s data directory.</source>
        <translation>Das Datenverzeichnis der Demo verwenden.</translation>
    </message>
    <message>
        <source>The LiteLLM connection (needed when there are several).</source>
        <translation>Die LiteLLM-Verbindung (nötig, wenn es mehrere gibt).</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NAME</translation>
    </message>
    <message>
        <source>A key: its alias, abbreviation (sk-...) or hash.</source>
        <translation>Ein Schlüssel: sein Alias, seine Abkürzung (sk-...) oder sein Hash.</translation>
    </message>
    <message>
        <source>ALIAS</source>
        <translation>ALIAS</translation>
    </message>
    <message>
        <source>A user, by the proxy&apos;s user id.</source>
        <translation>Ein Benutzer, über die Benutzer-ID des Proxys.</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>A team, by id or alias.</source>
        <translation>Ein Team, über ID oder Alias.</translation>
    </message>
    <message>
        <source>With --team: a member of it, by user id (the member&apos;s budget in the team).</source>
        <translation>Mit --team: ein Mitglied davon, über die Benutzer-ID (das Budget des Mitglieds im Team).</translation>
    </message>
    <message>
        <source>USER</source>
        <translation>BENUTZER</translation>
    </message>
    <message>
        <source>The end customer the request is made for.</source>
        <translation>Der Endkunde, für den die Anfrage gestellt wird.</translation>
    </message>
    <message>
        <source>What if a request costs this much (USD): which limit refuses it.</source>
        <translation>Was, wenn eine Anfrage so viel kostet (USD): welches Limit sie ablehnt.</translation>
    </message>
    <message>
        <source>USD</source>
        <translation>USD</translation>
    </message>
    <message>
        <source>Print the chain as a JSON object.</source>
        <translation>Die Kette als JSON-Objekt ausgeben.</translation>
    </message>
    <message>
        <source>explain</source>
        <translation>explain</translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;: use explain.</source>
        <translation>unbekannter Befehl „%1“: Verwenden Sie explain.</translation>
    </message>
    <message>
        <source>explain needs exactly one of --key, --user or --team, e.g. opsdeck budgets explain --key ci-bot --cost 0.50.</source>
        <translation>explain braucht genau eines von --key, --user oder --team, z. B. opsdeck budgets explain --key ci-bot --cost 0.50.</translation>
    </message>
    <message>
        <source>--member goes with --team: the member&apos;s budget in that team.</source>
        <translation>--member gehört zu --team: das Budget des Mitglieds in diesem Team.</translation>
    </message>
    <message>
        <source>the subject is empty or longer than 512 characters.</source>
        <translation>das Subjekt ist leer oder länger als 512 Zeichen.</translation>
    </message>
    <message>
        <source>--cost &quot;%1&quot; is not an amount in USD (a number from 0, e.g. 0.25).</source>
        <translation>--cost „%1“ ist kein Betrag in USD (eine Zahl ab 0, z. B. 0.25).</translation>
    </message>
    <message>
        <source>%1 on %2 (synced %3)</source>
        <translation>%1 auf %2 (synchronisiert %3)</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>gesperrt</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 übrig</translation>
    </message>
    <message>
        <source>no budget</source>
        <translation>kein Budget</translation>
    </message>
    <message>
        <source>spent %1</source>
        <translation>%1 ausgegeben</translation>
    </message>
    <message>
        <source>of %1</source>
        <translation>von %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keins</translation>
    </message>
    <message>
        <source>resets %1</source>
        <translation>setzt %1 zurück</translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetsPane</name>
    <message>
        <source>Budgets</source>
        <translation>Budgets</translation>
    </message>
    <message>
        <source>LLM budgets and spend</source>
        <translation>LLM-Budgets und Ausgaben</translation>
    </message>
    <message>
        <source>This pane shows the budgets of teams, users and keys on your LiteLLM proxy, their inheritance, and the spend against them over time.</source>
        <translation>Dieser Bereich zeigt die Budgets von Teams, Benutzern und Schlüsseln auf Ihrem LiteLLM-Proxy, ihre Vererbung und die Ausgaben dagegen im Zeitverlauf.</translation>
    </message>
    <message>
        <source>&amp;Budgets</source>
        <translation>&amp;Budgets</translation>
    </message>
    <message>
        <source>&amp;Spend</source>
        <translation>&amp;Ausgaben</translation>
    </message>
    <message>
        <source>&amp;Renewals</source>
        <translation>&amp;Verlängerungen</translation>
    </message>
    <message>
        <source>A&amp;lerts</source>
        <translation>&amp;Warnungen</translation>
    </message>
    <message>
        <source>&amp;Policies</source>
        <translation>&amp;Richtlinien</translation>
    </message>
    <message>
        <source>&amp;Credits &amp;&amp; Overflow</source>
        <translation>&amp;Guthaben &amp;&amp; Überlauf</translation>
    </message>
    <message>
        <source>A&amp;lerts (%1)</source>
        <translation>&amp;Warnungen (%1)</translation>
    </message>
    <message>
        <source>Syncing… %p%</source>
        <translation>Synchronisierung… %p%</translation>
    </message>
    <message>
        <source>Cannot read the budgets: %1</source>
        <translation>Die Budgets können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Budget alert: %1</source>
        <translation>Budget-Warnung: %1</translation>
    </message>
    <message>
        <source>%1 budget alerts; the first: %2</source>
        <translation>%1 Budget-Warnungen; die erste: %2</translation>
    </message>
    <message>
        <source>Filter by name, kind, model, state or any figure</source>
        <translation>Nach Name, Art, Modell, Zustand oder einer Zahl filtern</translation>
    </message>
    <message>
        <source>All budgets</source>
        <translation>Alle Budgets</translation>
    </message>
    <message>
        <source>Needing attention</source>
        <translation>Braucht Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Over budget or blocked</source>
        <translation>Über dem Budget oder gesperrt</translation>
    </message>
    <message>
        <source>Near or past the soft budget</source>
        <translation>Nahe am oder über dem Soft-Budget</translation>
    </message>
    <message>
        <source>Without a budget</source>
        <translation>Ohne Budget</translation>
    </message>
    <message>
        <source>C&amp;hange…</source>
        <translation>Än&amp;dern…</translation>
    </message>
    <message>
        <source>Change the max or soft budget, the cadence, the limits or the models on the proxy</source>
        <translation>Max. oder Soft-Budget, Rhythmus, Limits oder Modelle auf dem Proxy ändern</translation>
    </message>
    <message>
        <source>Bloc&amp;k…</source>
        <translation>Sper&amp;ren…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <source>Alert &amp;Thresholds…</source>
        <translation>&amp;Warnschwellen…</translation>
    </message>
    <message>
        <source>The percentages of the selected budget that raise an alert (a proxy: every budget)</source>
        <translation>Die Prozentsätze des ausgewählten Budgets, die eine Warnung auslösen (bei einem Proxy: jedes Budget)</translation>
    </message>
    <message>
        <source>Unbloc&amp;k…</source>
        <translation>Sperre aufhe&amp;ben…</translation>
    </message>
    <message>
        <source>This window only reads the cache</source>
        <translation>Dieses Fenster liest nur den Cache</translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no change to a %1</source>
        <translation>Die API des Proxys bietet keine Änderung an %1</translation>
    </message>
    <message>
        <source>Sending to the proxy: %1</source>
        <translation>An den Proxy senden: %1</translation>
    </message>
    <message>
        <source>Change the Budget</source>
        <translation>Budget ändern</translation>
    </message>
    <message>
        <source>Send this change to the proxy?</source>
        <translation>Diese Änderung an den Proxy senden?</translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>Sperre aufheben</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <source>Alert Thresholds</source>
        <translation>Warnschwellen</translation>
    </message>
    <message>
        <source>Percentages of every budget on %1 that raise an alert (budgets with their own keep them):</source>
        <translation>Prozentsätze jedes Budgets auf %1, die eine Warnung auslösen (Budgets mit eigenen behalten diese):</translation>
    </message>
    <message>
        <source>Percentages of the budget of %1 %2 that raise an alert (empty: the proxy&apos;s):</source>
        <translation>Prozentsätze des Budgets von %1 %2, die eine Warnung auslösen (leer: die des Proxys):</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>%1

This cannot be undone. Delete now?</source>
        <translation>%1

Das kann nicht rückgängig gemacht werden. Jetzt löschen?</translation>
    </message>
    <message>
        <source>Select a key, a user, a team or a team member to see which limit stops its requests.</source>
        <translation>Wählen Sie einen Schlüssel, einen Benutzer, ein Team oder ein Teammitglied, um zu sehen, welches Limit dessen Anfragen stoppt.</translation>
    </message>
    <message>
        <source>%1 %2 has no chain of limits of its own: select a key, a user, a team or a team member below it.</source>
        <translation>%1 %2 hat keine eigene Kette von Limits: Wählen Sie darunter einen Schlüssel, einen Benutzer, ein Team oder ein Teammitglied.</translation>
    </message>
    <message numerus="yes">
        <source>Syncing %n LiteLLM prox(y/ies)…</source>
        <translation>
            <numerusform>%n LiteLLM-Proxy wird synchronisiert…</numerusform>
            <numerusform>%n LiteLLM-Proxys werden synchronisiert…</numerusform>
        </translation>
    </message>
    <message>
        <source>No LiteLLM connection: add one to see its budgets.</source>
        <translation>Keine LiteLLM-Verbindung: Fügen Sie eine hinzu, um ihre Budgets zu sehen.</translation>
    </message>
</context>
<context>
    <name>opsdeck::CaseDetailPanel</name>
    <message>
        <source>Duration over the last runs</source>
        <translation>Dauer über die letzten Läufe</translation>
    </message>
    <message>
        <source>No case selected</source>
        <translation>Kein Fall ausgewählt</translation>
    </message>
    <message>
        <source>&lt;p&gt;Select a case to see its history, why it failed and what it printed.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Wählen Sie einen Fall, um seinen Verlauf, den Grund seines Fehlschlags und seine Ausgaben zu sehen.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; in %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; in %2</translation>
    </message>
    <message numerus="yes">
        <source>Over the last %n run(s) of its source: %1 passed, %2 failed or errored, %3 skipped, %4 without it.</source>
        <translation>
            <numerusform>Im letzten %n Lauf seiner Quelle: %1 bestanden, %2 fehlgeschlagen oder mit Fehler, %3 übersprungen, %4 ohne ihn.</numerusform>
            <numerusform>In den letzten %n Läufen seiner Quelle: %1 bestanden, %2 fehlgeschlagen oder mit Fehler, %3 übersprungen, %4 ohne ihn.</numerusform>
        </translation>
    </message>
    <message>
        <source>Flaky:</source>
        <translation>Instabil:</translation>
    </message>
    <message>
        <source>Last failure message:</source>
        <translation>Letzte Fehlermeldung:</translation>
    </message>
    <message>
        <source>Message in this run:</source>
        <translation>Meldung in diesem Lauf:</translation>
    </message>
    <message>
        <source>Reading what it left behind…</source>
        <translation>Hinterlassenschaften werden gelesen…</translation>
    </message>
    <message>
        <source>What it left behind cannot be read: %1</source>
        <translation>Die Hinterlassenschaften können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>At %1</source>
        <translation>Bei %1</translation>
    </message>
    <message>
        <source>Details:</source>
        <translation>Details:</translation>
    </message>
    <message>
        <source>Standard output:</source>
        <translation>Standardausgabe:</translation>
    </message>
    <message>
        <source>Standard error:</source>
        <translation>Standardfehlerausgabe:</translation>
    </message>
</context>
<context>
    <name>opsdeck::CloudflareApi</name>
    <message>
        <source>Cloudflare&apos;s answer is not the API&apos;s envelope (no &quot;success&quot; field).</source>
        <translation>Die Antwort von Cloudflare ist nicht die Hülle der API (kein Feld „success“).</translation>
    </message>
    <message>
        <source>Cloudflare refused the request and gave no reason.</source>
        <translation>Cloudflare hat die Anfrage ohne Grund abgelehnt.</translation>
    </message>
    <message>
        <source>Cloudflare refused: %1</source>
        <translation>Cloudflare hat abgelehnt: %1</translation>
    </message>
    <message>
        <source>Cloudflare&apos;s answer</source>
        <translation>Antwort von Cloudflare</translation>
    </message>
</context>
<context>
    <name>opsdeck::CommandLine</name>
    <message>
        <source>Show this help and exit.</source>
        <translation>Diese Hilfe anzeigen und beenden.</translation>
    </message>
    <message>
        <source>Show the version and exit.</source>
        <translation>Die Version anzeigen und beenden.</translation>
    </message>
    <message>
        <source>Keep the cache, settings and logs in &lt;dir&gt; instead of the default.</source>
        <translation>Cache, Einstellungen und Logs in &lt;dir&gt; statt am Standardort ablegen.</translation>
    </message>
    <message>
        <source>dir</source>
        <translation>Verz</translation>
    </message>
    <message>
        <source>Open the demo workspace: realistic sample data, no server needed.</source>
        <translation>Den Demo-Arbeitsbereich öffnen: realistische Beispieldaten, kein Server nötig.</translation>
    </message>
    <message>
        <source>Render every pane offscreen, write one PNG per pane into &lt;dir&gt;, and exit. Needs no display.</source>
        <translation>Jeden Bereich unsichtbar rendern, je Bereich eine PNG-Datei in &lt;dir&gt; schreiben und beenden. Braucht keine Anzeige.</translation>
    </message>
    <message>
        <source>Run opsdeck --help for the options.</source>
        <translation>Führen Sie opsdeck --help aus, um die Optionen zu sehen.</translation>
    </message>
    <message>
        <source>Unknown argument &quot;%1&quot;. Run opsdeck --help for the options.</source>
        <translation>Unbekanntes Argument „%1“. Führen Sie opsdeck --help aus, um die Optionen zu sehen.</translation>
    </message>
    <message>
        <source>--screenshot needs a directory.</source>
        <translation>--screenshot braucht ein Verzeichnis.</translation>
    </message>
    <message>
        <source>Opsdeck needs a display, and none was found (neither DISPLAY nor WAYLAND_DISPLAY is set).
Ways forward:
  - run it in a virtual X server:       xvfb-run -a opsdeck --demo
  - render every pane to PNG files:     opsdeck --demo --screenshot ./shots
  - from the source tree:               scripts/run.sh --xvfb   or   scripts/run.sh --screenshot ./shots
</source>
        <translation>Opsdeck braucht eine Anzeige, und es wurde keine gefunden (weder DISPLAY noch WAYLAND_DISPLAY ist gesetzt).
Möglichkeiten:
  - in einem virtuellen X-Server ausführen:      xvfb-run -a opsdeck --demo
  - jeden Bereich als PNG-Datei rendern:         opsdeck --demo --screenshot ./shots
  - aus dem Quellbaum:                           scripts/run.sh --xvfb   oder   scripts/run.sh --screenshot ./shots
</translation>
    </message>
    <message>
        <source>Open the main window, print &quot;first paint&quot; when it is first painted, and exit (for the start-up benchmark).</source>
        <translation>Das Hauptfenster öffnen, beim ersten Zeichnen „first paint“ ausgeben und beenden (für den Start-Benchmark).</translation>
    </message>
    <message>
        <source>Show the window in &lt;code&gt; (%1) for this run, whatever the desktop&apos;s language or View › Language says.</source>
        <translation>Das Fenster in diesem Lauf in &lt;code&gt; (%1) zeigen, unabhängig von der Sprache des Desktops oder von Ansicht › Sprache.</translation>
    </message>
    <message>
        <source>code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>--language &quot;%1&quot; is not a language of Opsdeck: use %2.</source>
        <translation>--language „%1“ ist keine Sprache von Opsdeck: Verwenden Sie %2.</translation>
    </message>
    <message>
        <source>Show the window light or dark (&lt;palette&gt;: light, dark) for this run instead of the desktop&apos;s palette.</source>
        <translation>Das Fenster für diesen Start hell oder dunkel zeigen (&lt;palette&gt;: light, dark) statt in der Farbpalette des Desktops.</translation>
    </message>
    <message>
        <source>palette</source>
        <translation>palette</translation>
    </message>
    <message>
        <source>--palette &quot;%1&quot; is not a palette: use light or dark.</source>
        <translation>--palette „%1“ ist keine Farbpalette: Verwenden Sie light oder dark.</translation>
    </message>
    <message>
        <source>Opsdeck: one native console for GitHub Actions runners, Docker deployments, Harbor images, LiteLLM budgets and contract-test runs.

Commands (without a window; the options above may come before or after them):
  audit verify|export|prune   check, export or prune the audit log (opsdeck audit --help)
  team init|status|person|grant   the team workspace on PostgreSQL (opsdeck team --help)
  images check          images against the workspace&apos;s allowlist (opsdeck images --help)
  budgets explain       which LiteLLM limit binds for a key, user or team (opsdeck budgets --help)
  testruns import       JUnit XML reports into the Test runs pane (opsdeck testruns --help)</source>
        <translation>Opsdeck: eine native Konsole für GitHub-Actions-Runner, Docker-Deployments, Harbor-Images, LiteLLM-Budgets und Vertragstest-Läufe.

Befehle (ohne Fenster; die Optionen oben dürfen davor oder danach stehen):
  audit verify|export|prune   das Audit-Log prüfen, exportieren oder kürzen (opsdeck audit --help)
  team init|status|person|grant   der Team-Arbeitsbereich auf PostgreSQL (opsdeck team --help)
  images check          Images gegen die Freigabeliste des Arbeitsbereichs prüfen (opsdeck images --help)
  budgets explain       welches LiteLLM-Limit für einen Schlüssel, Benutzer oder ein Team greift (opsdeck budgets --help)
  testruns import       JUnit-XML-Berichte in den Bereich Testläufe importieren (opsdeck testruns --help)</translation>
    </message>
</context>
<context>
    <name>opsdeck::Compose</name>
    <message>
        <source>No compose tool was found (tried %1): install the Docker compose plugin, docker-compose or podman-compose.</source>
        <translation>Kein Compose-Werkzeug gefunden (versucht: %1): Installieren Sie das Docker-Compose-Plugin, docker-compose oder podman-compose.</translation>
    </message>
    <message>
        <source>No directory for the engine&apos;s TLS files was given.</source>
        <translation>Es wurde kein Verzeichnis für die TLS-Dateien der Engine angegeben.</translation>
    </message>
    <message>
        <source>Cannot create %1 for the engine&apos;s TLS files.</source>
        <translation>%1 für die TLS-Dateien der Engine kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>The TLS file %1 of %2 cannot be read.</source>
        <translation>Die TLS-Datei %1 von %2 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Cannot link %1 as %2.</source>
        <translation>%1 kann nicht als %2 verlinkt werden.</translation>
    </message>
    <message>
        <source>%1 has no compose file (compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml): choose the file to use.</source>
        <translation>%1 hat keine Compose-Datei (compose.yaml, compose.yml, docker-compose.yaml oder docker-compose.yml): Wählen Sie die zu verwendende Datei.</translation>
    </message>
    <message>
        <source>The compose file %1 is not in %2.</source>
        <translation>Die Compose-Datei %1 liegt nicht in %2.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is larger than 4 MB: not a compose file.</source>
        <translation>%1 ist größer als 4 MB: keine Compose-Datei.</translation>
    </message>
    <message>
        <source>%1 leads outside the project %2: Opsdeck does not read it.</source>
        <translation>%1 führt aus dem Projekt %2 hinaus: Opsdeck liest es nicht.</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 (%2) is older than %3 needs: Compose v1 refuses %4. Nothing was started. Install the Docker compose plugin (docker compose, v2), which Opsdeck uses first when it is there.</source>
        <translation>%1 (%2) ist älter, als %3 braucht: Compose v1 lehnt %4 ab. Es wurde nichts gestartet. Installieren Sie das Docker-Compose-Plugin (docker compose, v2), das Opsdeck bevorzugt, wenn es vorhanden ist.</translation>
    </message>
</context>
<context>
    <name>opsdeck::ComposeProject</name>
    <message>
        <source>it nests or repeats (through aliases) more than Opsdeck reads</source>
        <translation>es verschachtelt oder wiederholt (über Aliase) mehr, als Opsdeck liest</translation>
    </message>
    <message>
        <source>a mapping key is not a plain value</source>
        <translation>ein Mapping-Schlüssel ist kein einfacher Wert</translation>
    </message>
    <message>
        <source>&quot;&lt;&lt;&quot; merges only mappings</source>
        <translation>„&lt;&lt;“ führt nur Mappings zusammen</translation>
    </message>
    <message>
        <source>%1 is not valid YAML (line %2, column %3): %4</source>
        <translation>%1 ist kein gültiges YAML (Zeile %2, Spalte %3): %4</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2.</source>
        <translation>%1 kann nicht gelesen werden: %2.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; nests ${…} too deeply.</source>
        <translation>„%1“ verschachtelt ${…} zu tief.</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: a &quot;${&quot; is not closed by &quot;}&quot;.</source>
        <translation>„%1“: Ein „${“ wird nicht durch „}“ geschlossen.</translation>
    </message>
    <message>
        <source>&quot;${%1}&quot; is not a variable: a name is letters, digits and &apos;_&apos;, not starting with a digit, optionally followed by :-, -, :?, ?, :+ or +.</source>
        <translation>„${%1}“ ist keine Variable: Ein Name besteht aus Buchstaben, Ziffern und &apos;_&apos;, beginnt nicht mit einer Ziffer, optional gefolgt von :-, -, :?, ?, :+ oder +.</translation>
    </message>
    <message>
        <source>The variable %1 is required%2%3: set it in the environment or in the project&apos;s .env file.</source>
        <translation>Die Variable %1 ist erforderlich%2%3: Setzen Sie sie in der Umgebung oder in der .env-Datei des Projekts.</translation>
    </message>
    <message>
        <source> and may not be empty</source>
        <translation> und darf nicht leer sein</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1.%2 must be a single value.</source>
        <translation>%1.%2 muss ein einzelner Wert sein.</translation>
    </message>
    <message>
        <source>%1 lists KEY=VALUE strings.</source>
        <translation>%1 listet KEY=VALUE-Zeichenketten auf.</translation>
    </message>
    <message>
        <source>%1 must be a mapping or a list of KEY=VALUE.</source>
        <translation>%1 muss ein Mapping oder eine Liste von KEY=VALUE sein.</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a port (1 to 65535) or a range of ports (8000-8010).</source>
        <translation>%1: „%2“ ist kein Port (1 bis 65535) und kein Portbereich (8000-8010).</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; has an unclosed IPv6 address.</source>
        <translation>%1: „%2“ hat eine nicht geschlossene IPv6-Adresse.</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be [IP]:HOST:CONTAINER.</source>
        <translation>%1: „%2“ muss [IP]:HOST:CONTAINER sein.</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not [[IP:]HOST:]CONTAINER[/PROTOCOL].</source>
        <translation>%1: „%2“ ist nicht [[IP:]HOST:]CONTAINER[/PROTOKOLL].</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot;: the protocol is tcp, udp or sctp.</source>
        <translation>%1: „%2“: Das Protokoll ist tcp, udp oder sctp.</translation>
    </message>
    <message>
        <source>%1: name or app_protocol in a port</source>
        <translation>%1: name oder app_protocol in einem Port</translation>
    </message>
    <message>
        <source>%1, line %2: &quot;%3&quot; is not a variable name.</source>
        <translation>%1, Zeile %2: „%3“ ist kein Variablenname.</translation>
    </message>
    <message>
        <source>%1, line %2: a single quote is not closed.</source>
        <translation>%1, Zeile %2: Ein einfaches Anführungszeichen wird nicht geschlossen.</translation>
    </message>
    <message>
        <source>%1, line %2: a double quote is not closed.</source>
        <translation>%1, Zeile %2: Ein doppeltes Anführungszeichen wird nicht geschlossen.</translation>
    </message>
    <message>
        <source>%1, line %2: %3</source>
        <translation>%1, Zeile %2: %3</translation>
    </message>
    <message>
        <source>%1 must be a mapping with a &quot;services&quot; key.</source>
        <translation>%1 muss ein Mapping mit einem Schlüssel „services“ sein.</translation>
    </message>
    <message>
        <source>The variable %1 is not set: an empty value is used.</source>
        <translation>Die Variable %1 ist nicht gesetzt: Ein leerer Wert wird verwendet.</translation>
    </message>
    <message>
        <source>the top-level name: %1</source>
        <translation>der Name auf oberster Ebene: %1</translation>
    </message>
    <message>
        <source>the top-level %1:</source>
        <translation>das %1: auf oberster Ebene</translation>
    </message>
    <message>
        <source>%1 has no services: it needs a &quot;services:&quot; mapping of at least one service.</source>
        <translation>%1 hat keine Dienste: Es braucht ein Mapping „services:“ mit mindestens einem Dienst.</translation>
    </message>
    <message>
        <source>%1: %2 must be a mapping.</source>
        <translation>%1: %2 muss ein Mapping sein.</translation>
    </message>
    <message>
        <source>%1.ports must be a list.</source>
        <translation>%1.ports muss eine Liste sein.</translation>
    </message>
    <message>
        <source>%1.ports lists strings or mappings.</source>
        <translation>%1.ports listet Zeichenketten oder Mappings auf.</translation>
    </message>
    <message>
        <source>%1.env_file with path:/required:</source>
        <translation>%1.env_file mit path:/required:</translation>
    </message>
    <message>
        <source>%1.env_file names no file.</source>
        <translation>%1.env_file nennt keine Datei.</translation>
    </message>
    <message>
        <source>%1.env_file: %2</source>
        <translation>%1.env_file: %2</translation>
    </message>
    <message>
        <source>%1.profiles must be a list.</source>
        <translation>%1.profiles muss eine Liste sein.</translation>
    </message>
    <message>
        <source>%1.depends_on with required:/restart:</source>
        <translation>%1.depends_on mit required:/restart:</translation>
    </message>
    <message>
        <source>port %1 usually serves HTTP</source>
        <translation>Port %1 bedient meist HTTP</translation>
    </message>
    <message>
        <source>port %1 usually does not serve HTTP</source>
        <translation>Port %1 bedient meist kein HTTP</translation>
    </message>
    <message>
        <source>%1 is a database or other non-HTTP image</source>
        <translation>%1 ist eine Datenbank oder ein anderes Nicht-HTTP-Image</translation>
    </message>
    <message>
        <source>labelled opsdeck.route</source>
        <translation>mit opsdeck.route gekennzeichnet</translation>
    </message>
    <message>
        <source>%1 publishes container port %2 without a fixed host port, so the engine picks a new one at every recreate and a route would soon point nowhere. Publish it on a fixed host port in %3, for example ports: [&quot;127.0.0.1:8080:%2&quot;], and deploy again.</source>
        <translation>%1 veröffentlicht Container-Port %2 ohne festen Host-Port, daher wählt die Engine bei jedem Neuerstellen einen neuen, und eine Route zeigte bald ins Leere. Veröffentlichen Sie ihn in %3 auf einem festen Host-Port, zum Beispiel ports: [&quot;127.0.0.1:8080:%2&quot;], und stellen Sie erneut bereit.</translation>
    </message>
    <message>
        <source>%1 publishes container port %2 on the host port range %3, which the engine picks from at every recreate. Publish it on one fixed host port in %4, for example ports: [&quot;127.0.0.1:%5:%2&quot;], and deploy again.</source>
        <translation>%1 veröffentlicht Container-Port %2 im Host-Portbereich %3, aus dem die Engine bei jedem Neuerstellen wählt. Veröffentlichen Sie ihn in %4 auf einem festen Host-Port, zum Beispiel ports: [&quot;127.0.0.1:%5:%2&quot;], und stellen Sie erneut bereit.</translation>
    </message>
    <message>
        <source>No service of %1 publishes or exposes a TCP port to route to.</source>
        <translation>Kein Dienst von %1 veröffentlicht oder exponiert einen TCP-Port, zu dem geroutet werden kann.</translation>
    </message>
    <message>
        <source>No service of %1 looks like it serves HTTP (%2): choose the service and port to route to.</source>
        <translation>Kein Dienst von %1 scheint HTTP zu bedienen (%2): Wählen Sie Dienst und Port, zu denen geroutet wird.</translation>
    </message>
    <message>
        <source>%1 has more than one port that could serve HTTP (%2:%3 and %4:%5): choose the service and port to route to, or label one service opsdeck.route.</source>
        <translation>%1 hat mehr als einen Port, der HTTP bedienen könnte (%2:%3 und %4:%5): Wählen Sie Dienst und Port, zu denen geroutet wird, oder kennzeichnen Sie einen Dienst mit opsdeck.route.</translation>
    </message>
    <message>
        <source>%1 has no service %2 to route to.</source>
        <translation>%1 hat keinen Dienst %2, zu dem geroutet werden kann.</translation>
    </message>
    <message>
        <source>The service %1 runs only with the profile %2, which is not enabled: it would not be started.</source>
        <translation>Der Dienst %1 läuft nur mit dem Profil %2, das nicht aktiviert ist: Er würde nicht gestartet.</translation>
    </message>
    <message>
        <source>The service %1 does not publish or expose container port %2.</source>
        <translation>Der Dienst %1 veröffentlicht oder exponiert Container-Port %2 nicht.</translation>
    </message>
    <message>
        <source>The service %1 publishes no TCP port.</source>
        <translation>Der Dienst %1 veröffentlicht keinen TCP-Port.</translation>
    </message>
    <message>
        <source>The service %1 has several ports: choose the one to route to.</source>
        <translation>Der Dienst %1 hat mehrere Ports: Wählen Sie den, zu dem geroutet wird.</translation>
    </message>
    <message>
        <source>%1 (host port picked by the engine)</source>
        <translation>%1 (Host-Port von der Engine gewählt)</translation>
    </message>
</context>
<context>
    <name>opsdeck::Connection</name>
    <message>
        <source>GitHub</source>
        <translation>GitHub</translation>
    </message>
    <message>
        <source>Docker host</source>
        <translation>Docker-Host</translation>
    </message>
    <message>
        <source>OCI registry</source>
        <translation>OCI-Registry</translation>
    </message>
    <message>
        <source>Harbor</source>
        <translation>Harbor</translation>
    </message>
    <message>
        <source>LiteLLM proxy</source>
        <translation>LiteLLM-Proxy</translation>
    </message>
    <message>
        <source>Cloudflare</source>
        <translation>Cloudflare</translation>
    </message>
    <message>
        <source>No authentication</source>
        <translation>Keine Authentifizierung</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>User name and password</source>
        <translation>Benutzername und Passwort</translation>
    </message>
    <message>
        <source>GitHub App (private key)</source>
        <translation>GitHub App (privater Schlüssel)</translation>
    </message>
    <message>
        <source>The Docker host is empty. Use unix:///var/run/docker.sock or tcp://host:2376.</source>
        <translation>Der Docker-Host ist leer. Verwenden Sie unix:///var/run/docker.sock oder tcp://host:2376.</translation>
    </message>
    <message>
        <source>The Docker socket path &quot;%1&quot; must be absolute, as in unix:///var/run/docker.sock.</source>
        <translation>Der Docker-Socket-Pfad „%1“ muss absolut sein, wie in unix:///var/run/docker.sock.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid tcp:// Docker host.</source>
        <translation>„%1“ ist kein gültiger tcp://-Docker-Host.</translation>
    </message>
    <message>
        <source>A tcp:// Docker host has no path: &quot;%1&quot;.</source>
        <translation>Ein tcp://-Docker-Host hat keinen Pfad: „%1“.</translation>
    </message>
    <message>
        <source>Unsupported Docker host &quot;%1&quot;: use unix:///path/to/docker.sock or tcp://host:port.</source>
        <translation>Nicht unterstützter Docker-Host „%1“: Verwenden Sie unix:///pfad/zu/docker.sock oder tcp://host:port.</translation>
    </message>
    <message>
        <source>Give the connection a name.</source>
        <translation>Geben Sie der Verbindung einen Namen.</translation>
    </message>
    <message>
        <source>The name is longer than 80 characters.</source>
        <translation>Der Name ist länger als 80 Zeichen.</translation>
    </message>
    <message>
        <source>%1 connections do not support &quot;%2&quot;.</source>
        <translation>%1-Verbindungen unterstützen „%2“ nicht.</translation>
    </message>
    <message>
        <source>The sync interval must be between 30 seconds and 24 hours.</source>
        <translation>Das Synchronisierungsintervall muss zwischen 30 Sekunden und 24 Stunden liegen.</translation>
    </message>
    <message>
        <source>A TLS client certificate needs both the certificate file and the key file.</source>
        <translation>Ein TLS-Client-Zertifikat braucht sowohl die Zertifikatsdatei als auch die Schlüsseldatei.</translation>
    </message>
    <message>
        <source>Client certificates apply to tcp:// Docker hosts only.</source>
        <translation>Client-Zertifikate gelten nur für tcp://-Docker-Hosts.</translation>
    </message>
    <message>
        <source>Cannot read the file &quot;%1&quot;.</source>
        <translation>Die Datei „%1“ kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid URL. Use the form https://host[:port][/path].</source>
        <translation>„%1“ ist keine gültige URL. Verwenden Sie die Form https://host[:port][/pfad].</translation>
    </message>
    <message>
        <source>The URL must start with https:// (or http:// for a server on this machine).</source>
        <translation>Die URL muss mit https:// beginnen (oder http:// für einen Server auf diesem Rechner).</translation>
    </message>
    <message>
        <source>Do not put credentials in the URL; use the authentication fields.</source>
        <translation>Setzen Sie keine Zugangsdaten in die URL; verwenden Sie die Authentifizierungsfelder.</translation>
    </message>
    <message>
        <source>Cannot read the CA file &quot;%1&quot;.</source>
        <translation>Die CA-Datei „%1“ kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Enter the user name for basic authentication.</source>
        <translation>Geben Sie den Benutzernamen für die Basic-Authentifizierung ein.</translation>
    </message>
    <message>
        <source>The GitHub App ID must be a number.</source>
        <translation>Die GitHub-App-ID muss eine Zahl sein.</translation>
    </message>
    <message>
        <source>Enter the Cloudflare account ID that owns the tunnel.</source>
        <translation>Geben Sie die Cloudflare-Konto-ID ein, der der Tunnel gehört.</translation>
    </message>
    <message>
        <source>Enter the GitHub organization, or the repositories (owner/name), whose runners Opsdeck manages.</source>
        <translation>Geben Sie die GitHub-Organisation oder die Repositorys (owner/name) ein, deren Runner Opsdeck verwaltet.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an OAuth client ID: letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, as GitHub shows it in the app&apos;s settings.</source>
        <translation>„%1“ ist keine OAuth-Client-ID: Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; und &apos;-&apos;, wie GitHub sie in den Einstellungen der App zeigt.</translation>
    </message>
</context>
<context>
    <name>opsdeck::ConnectionService</name>
    <message>
        <source>This is the demo workspace: Opsdeck does not contact any server here.</source>
        <translation>Dies ist der Demo-Arbeitsbereich: Opsdeck kontaktiert hier keinen Server.</translation>
    </message>
    <message>
        <source>The secret is kept in memory for this session only; enter it again after a restart.</source>
        <translation>Das Geheimnis wird nur für diese Sitzung im Speicher gehalten; geben Sie es nach einem Neustart erneut ein.</translation>
    </message>
    <message>
        <source>The connection was removed, but its keychain entry could not be deleted: %1</source>
        <translation>Die Verbindung wurde entfernt, aber ihr Schlüsselbund-Eintrag konnte nicht gelöscht werden: %1</translation>
    </message>
    <message>
        <source>Only a GitHub App connection has installations.</source>
        <translation>Nur eine GitHub-App-Verbindung hat Installationen.</translation>
    </message>
    <message>
        <source>Listing the GitHub App&apos;s installations</source>
        <translation>Installationen der GitHub App werden aufgelistet</translation>
    </message>
    <message>
        <source>The GitHub App is not installed anywhere yet.</source>
        <translation>Die GitHub App ist noch nirgends installiert.</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>Demodaten</translation>
    </message>
</context>
<context>
    <name>opsdeck::ConnectionStore</name>
    <message>
        <source>Reading connections</source>
        <translation>Verbindungen werden gelesen</translation>
    </message>
    <message>
        <source>Reading a connection</source>
        <translation>Eine Verbindung wird gelesen</translation>
    </message>
    <message>
        <source>The connection no longer exists.</source>
        <translation>Die Verbindung existiert nicht mehr.</translation>
    </message>
    <message>
        <source>A connection named &quot;%1&quot; exists already.</source>
        <translation>Eine Verbindung namens „%1“ existiert bereits.</translation>
    </message>
    <message>
        <source>Saving the connection</source>
        <translation>Verbindung wird gespeichert</translation>
    </message>
    <message>
        <source>Removing the connection</source>
        <translation>Verbindung wird entfernt</translation>
    </message>
    <message>
        <source>Recording the sync state</source>
        <translation>Synchronisierungsstatus wird festgehalten</translation>
    </message>
    <message>
        <source>Reading the sync state</source>
        <translation>Synchronisierungsstatus wird gelesen</translation>
    </message>
    <message>
        <source>less than a minute</source>
        <translation>weniger als einer Minute</translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n Min.</numerusform>
            <numerusform>%n Min.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n Std.</numerusform>
            <numerusform>%n Std.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tagen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: syncing</source>
        <translation>%1: wird synchronisiert</translation>
    </message>
    <message>
        <source>Last successful sync %1 ago</source>
        <translation>Letzte erfolgreiche Synchronisierung vor %1</translation>
    </message>
    <message>
        <source>First sync</source>
        <translation>Erste Synchronisierung</translation>
    </message>
    <message>
        <source>%1: offline, data from %2 ago</source>
        <translation>%1: offline, Daten von vor %2</translation>
    </message>
    <message>
        <source>%1: offline, no data yet</source>
        <translation>%1: offline, noch keine Daten</translation>
    </message>
    <message>
        <source>%1: error</source>
        <translation>%1: Fehler</translation>
    </message>
    <message>
        <source>%1: connected</source>
        <translation>%1: verbunden</translation>
    </message>
    <message>
        <source>%1: not synced yet</source>
        <translation>%1: noch nicht synchronisiert</translation>
    </message>
    <message>
        <source>Press F5 to sync, or test the connection in the Connections dialog.</source>
        <translation>Drücken Sie F5 zum Synchronisieren, oder testen Sie die Verbindung im Dialog Verbindungen.</translation>
    </message>
</context>
<context>
    <name>opsdeck::ConnectionsDialog</name>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <source>Load private key file…</source>
        <translation>Private Schlüsseldatei laden…</translation>
    </message>
    <message>
        <source>owner/repo, owner/other-repo</source>
        <translation>owner/repo, owner/anderes-repo</translation>
    </message>
    <message>
        <source>Repositories whose own runners Opsdeck manages, besides the organization&apos;s</source>
        <translation>Repositorys, deren eigene Runner Opsdeck verwaltet, neben denen der Organisation</translation>
    </message>
    <message>
        <source>optional: an OAuth app with the device flow enabled</source>
        <translation>optional: eine OAuth-App mit aktiviertem Device Flow</translation>
    </message>
    <message>
        <source>Lets each person link their GitHub login to the workspace (Users pane › Link GitHub…). A client ID is not a secret.</source>
        <translation>Lässt jede Person ihren GitHub-Login mit dem Arbeitsbereich verknüpfen (Bereich Benutzer › GitHub verknüpfen…). Eine Client-ID ist kein Geheimnis.</translation>
    </message>
    <message>
        <source>found automatically</source>
        <translation>automatisch gefunden</translation>
    </message>
    <message>
        <source>for a remotely managed tunnel</source>
        <translation>für einen fernverwalteten Tunnel</translation>
    </message>
    <message>
        <source>the zone of the route hostnames (DNS records)</source>
        <translation>die Zone der Routen-Hostnamen (DNS-Einträge)</translation>
    </message>
    <message>
        <source>/etc/cloudflared/config.yml (a locally managed tunnel)</source>
        <translation>/etc/cloudflared/config.yml (ein lokal verwalteter Tunnel)</translation>
    </message>
    <message>
        <source>optional, e.g. systemctl restart cloudflared (no shell)</source>
        <translation>optional, z. B. systemctl restart cloudflared (ohne Shell)</translation>
    </message>
    <message>
        <source> min</source>
        <translation> Min.</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>&amp;Organization:</source>
        <translation>&amp;Organisation:</translation>
    </message>
    <message>
        <source>Re&amp;positories:</source>
        <translation>Re&amp;positorys:</translation>
    </message>
    <message>
        <source>OAuth &amp;client ID:</source>
        <translation>OAuth-&amp;Client-ID:</translation>
    </message>
    <message>
        <source>Account &amp;ID:</source>
        <translation>Konto-&amp;ID:</translation>
    </message>
    <message>
        <source>Tunnel I&amp;D:</source>
        <translation>Tunnel-I&amp;D:</translation>
    </message>
    <message>
        <source>&amp;Zone ID:</source>
        <translation>&amp;Zonen-ID:</translation>
    </message>
    <message>
        <source>Tunnel &amp;config file:</source>
        <translation>Tunnel-&amp;Konfigurationsdatei:</translation>
    </message>
    <message>
        <source>cloudflared configuration</source>
        <translation>cloudflared-Konfiguration</translation>
    </message>
    <message>
        <source>YAML files (*.yml *.yaml);;All files (*)</source>
        <translation>YAML-Dateien (*.yml *.yaml);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Restart co&amp;mmand:</source>
        <translation>Neustart-Be&amp;fehl:</translation>
    </message>
    <message>
        <source>Au&amp;thentication:</source>
        <translation>Au&amp;thentifizierung:</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>Find…</source>
        <translation>Suchen…</translation>
    </message>
    <message>
        <source>List the GitHub App&apos;s installations and choose one</source>
        <translation>Die Installationen der GitHub App auflisten und eine wählen</translation>
    </message>
    <message>
        <source>I&amp;nstallation ID:</source>
        <translation>I&amp;nstallations-ID:</translation>
    </message>
    <message>
        <source>&amp;Secret:</source>
        <translation>&amp;Geheimnis:</translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation>&amp;CA-Datei:</translation>
    </message>
    <message>
        <source>CA certificates</source>
        <translation>CA-Zertifikate</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt);;All files (*)</source>
        <translation>PEM-Dateien (*.pem *.crt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Client c&amp;ertificate:</source>
        <translation>Client-Z&amp;ertifikat:</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Client-Zertifikat</translation>
    </message>
    <message>
        <source>Client &amp;key:</source>
        <translation>Client-&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>Client-Schlüssel</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.key);;All files (*)</source>
        <translation>PEM-Dateien (*.pem *.key);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>S&amp;ync every:</source>
        <translation>S&amp;ynchronisieren alle:</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>Sa&amp;ve</source>
        <translation>Spei&amp;chern</translation>
    </message>
    <message>
        <source>A new %1 connection. Fill in the fields, test it, then save.</source>
        <translation>Eine neue %1-Verbindung. Füllen Sie die Felder aus, testen Sie sie und speichern Sie dann.</translation>
    </message>
    <message>
        <source>Enter the App ID first.</source>
        <translation>Geben Sie zuerst die App-ID ein.</translation>
    </message>
    <message>
        <source>Load the App&apos;s private key first.</source>
        <translation>Laden Sie zuerst den privaten Schlüssel der App.</translation>
    </message>
    <message>
        <source>Listing the GitHub App&apos;s installations…</source>
        <translation>Installationen der GitHub App werden aufgelistet…</translation>
    </message>
    <message>
        <source>GitHub App installation</source>
        <translation>Installation der GitHub App</translation>
    </message>
    <message>
        <source>The App is installed on several accounts. Choose the one whose runners this connection manages:</source>
        <translation>Die App ist auf mehreren Konten installiert. Wählen Sie das, dessen Runner diese Verbindung verwaltet:</translation>
    </message>
    <message>
        <source>No installation chosen.</source>
        <translation>Keine Installation gewählt.</translation>
    </message>
    <message>
        <source>Installation %1 chosen: save to keep it.</source>
        <translation>Installation %1 gewählt: Speichern, um sie zu behalten.</translation>
    </message>
    <message>
        <source>App &amp;ID:</source>
        <translation>App-&amp;ID:</translation>
    </message>
    <message>
        <source> (stored in the keychain; leave empty to keep)</source>
        <translation> (im Schlüsselbund gespeichert; leer lassen, um es zu behalten)</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Private key (PEM)</source>
        <translation>Privater Schlüssel (PEM)</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>&amp;Docker host:</source>
        <translation>&amp;Docker-Host:</translation>
    </message>
    <message>
        <source>Enter the secret for this connection; it is kept in the OS keychain.</source>
        <translation>Geben Sie das Geheimnis für diese Verbindung ein; es wird im Schlüsselbund des Systems aufbewahrt.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>No keychain</source>
        <translation>Kein Schlüsselbund</translation>
    </message>
    <message>
        <source>%1

Opsdeck never writes secrets to a file. Keep this secret in memory for this session only? You will have to enter it again after Opsdeck restarts.</source>
        <translation>%1

Opsdeck schreibt Geheimnisse nie in eine Datei. Dieses Geheimnis nur für diese Sitzung im Speicher halten? Sie müssen es nach einem Neustart von Opsdeck erneut eingeben.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Saved. %1</source>
        <translation>Gespeichert. %1</translation>
    </message>
    <message>
        <source>Enter the secret to test this connection.</source>
        <translation>Geben Sie das Geheimnis ein, um diese Verbindung zu testen.</translation>
    </message>
    <message>
        <source>Testing %1…</source>
        <translation>%1 wird getestet…</translation>
    </message>
    <message>
        <source>✔ %1</source>
        <translation>✔ %1</translation>
    </message>
    <message>
        <source>✘ %1</source>
        <translation>✘ %1</translation>
    </message>
    <message>
        <source>Remove connection</source>
        <translation>Verbindung entfernen</translation>
    </message>
    <message>
        <source>Remove the connection &quot;%1&quot;? Its cached data and its secret in the keychain are deleted too.</source>
        <translation>Die Verbindung „%1“ entfernen? Ihre Daten im Cache und ihr Geheimnis im Schlüsselbund werden ebenfalls gelöscht.</translation>
    </message>
    <message>
        <source>Removing…</source>
        <translation>Wird entfernt…</translation>
    </message>
    <message>
        <source>Not removed: %1</source>
        <translation>Nicht entfernt: %1</translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation>Entfernt.</translation>
    </message>
    <message>
        <source>GitHub App private key</source>
        <translation>Privater Schlüssel der GitHub App</translation>
    </message>
    <message>
        <source>PEM files (*.pem);;All files (*)</source>
        <translation>PEM-Dateien (*.pem);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Cannot read the private key %1.</source>
        <translation>Der private Schlüssel %1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>%1 is not a PEM private key.</source>
        <translation>%1 ist kein privater PEM-Schlüssel.</translation>
    </message>
    <message>
        <source>Private key loaded; it is stored in the keychain when you save.</source>
        <translation>Privater Schlüssel geladen; er wird beim Speichern im Schlüsselbund abgelegt.</translation>
    </message>
    <message>
        <source>Tunnel config file</source>
        <translation>Tunnel-Konfigurationsdatei</translation>
    </message>
    <message>
        <source>Installation ID</source>
        <translation>Installations-ID</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Geheimnis</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>CA-Datei</translation>
    </message>
</context>
<context>
    <name>opsdeck::ConnectionsModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>URL or socket</source>
        <translation>URL oder Socket</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Authentifizierung</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>opsdeck::Container</name>
    <message>
        <source>The Docker engine sent a container without a valid &quot;%1&quot; (%2 expected).</source>
        <translation>Die Docker-Engine hat einen Container ohne gültiges „%1“ gesendet (%2 erwartet).</translation>
    </message>
    <message>
        <source>The Docker engine&apos;s container list is not valid JSON: %1</source>
        <translation>Die Containerliste der Docker-Engine ist kein gültiges JSON: %1</translation>
    </message>
    <message>
        <source>The Docker engine&apos;s container list is not a JSON array.</source>
        <translation>Die Containerliste der Docker-Engine ist kein JSON-Array.</translation>
    </message>
    <message>
        <source>Reading containers</source>
        <translation>Container werden gelesen</translation>
    </message>
    <message>
        <source>Writing containers</source>
        <translation>Container werden geschrieben</translation>
    </message>
    <message>
        <source>Removing containers</source>
        <translation>Container werden entfernt</translation>
    </message>
    <message>
        <source>Writing the Docker host&apos;s facts</source>
        <translation>Eckdaten des Docker-Hosts werden geschrieben</translation>
    </message>
    <message>
        <source>The Docker engine&apos;s disk usage answer is not a JSON object.</source>
        <translation>Die Antwort der Docker-Engine zur Speichernutzung ist kein JSON-Objekt.</translation>
    </message>
    <message>
        <source>the container creation</source>
        <translation>das Anlegen des Containers</translation>
    </message>
    <message>
        <source>The Docker engine&apos;s answer has no valid container id (&quot;%1&quot;).</source>
        <translation>Die Antwort der Docker-Engine hat keine gültige Container-ID („%1“).</translation>
    </message>
    <message>
        <source>the container inspection</source>
        <translation>die Untersuchung des Containers</translation>
    </message>
    <message>
        <source>The Docker engine&apos;s container details have no valid Config.Tty.</source>
        <translation>Die Container-Details der Docker-Engine haben kein gültiges Config.Tty.</translation>
    </message>
    <message>
        <source>The Docker engine&apos;s answer to %1</source>
        <translation>Die Antwort der Docker-Engine auf %1</translation>
    </message>
    <message>
        <source>The Docker engine answered the disk usage in the shape of API 1.48 or newer, although Opsdeck asked for an older version; the sizes are not shown rather than shown wrong. Is a proxy in front of the engine rewriting the request path?</source>
        <translation>Die Docker-Engine hat die Speichernutzung in der Form von API 1.48 oder neuer beantwortet, obwohl Opsdeck eine ältere Version angefragt hat; die Größen werden lieber nicht als falsch angezeigt. Schreibt ein Proxy vor der Engine den Anfragepfad um?</translation>
    </message>
</context>
<context>
    <name>opsdeck::ContainerDialogs</name>
    <message>
        <source>Remove container</source>
        <translation>Container entfernen</translation>
    </message>
    <message>
        <source>Remove the container %1? It is %2: it will be killed first.</source>
        <translation>Den Container %1 entfernen? Er ist %2: Er wird zuerst beendet.</translation>
    </message>
    <message>
        <source>Remove the container %1?</source>
        <translation>Den Container %1 entfernen?</translation>
    </message>
    <message>
        <source>Also delete its anonymous volumes (it has none)</source>
        <translation>Auch seine anonymen Volumes löschen (er hat keine)</translation>
    </message>
    <message>
        <source>Also &amp;delete its anonymous volumes: %1</source>
        <translation>Auch seine anonymen Volumes &amp;löschen: %1</translation>
    </message>
    <message>
        <source>Named volumes are kept either way: %1.</source>
        <translation>Benannte Volumes bleiben in jedem Fall erhalten: %1.</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
</context>
<context>
    <name>opsdeck::ContainersModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Gesundheit</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Ports</source>
        <translation>Ports</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>ID %1</source>
        <translation>ID %1</translation>
    </message>
</context>
<context>
    <name>opsdeck::CreditsDialog</name>
    <message>
        <source>Credits Factor of %1</source>
        <translation>Guthabenfaktor von %1</translation>
    </message>
    <message>
        <source>&amp;No factor: show spend only</source>
        <translation>&amp;Kein Faktor: nur Ausgaben anzeigen</translation>
    </message>
    <message>
        <source>Why (the plan, the contract)</source>
        <translation>Warum (der Tarif, der Vertrag)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>&amp;Factor:</source>
        <translation>&amp;Faktor:</translation>
    </message>
    <message>
        <source>C&amp;omment:</source>
        <translation>K&amp;ommentar:</translation>
    </message>
    <message>
        <source>Spend × factor = credits charged to the account.</source>
        <translation>Ausgaben × Faktor = dem Konto berechnetes Guthaben.</translation>
    </message>
    <message>
        <source>This period&apos;s spend %1, without credits.</source>
        <translation>Ausgaben in diesem Zeitraum %1, ohne Guthaben.</translation>
    </message>
    <message>
        <source>This period&apos;s spend %1 = %2</source>
        <translation>Ausgaben in diesem Zeitraum %1 = %2</translation>
    </message>
</context>
<context>
    <name>opsdeck::CreditsTab</name>
    <message>
        <source>Credits per account</source>
        <translation>Guthaben je Konto</translation>
    </message>
    <message>
        <source>Credits &amp;Factor…</source>
        <translation>Guthaben&amp;faktor…</translation>
    </message>
    <message>
        <source>Set the selected account&apos;s credits factor: spend × factor = credits charged</source>
        <translation>Guthabenfaktor des ausgewählten Kontos festlegen: Ausgaben × Faktor = berechnetes Guthaben</translation>
    </message>
    <message>
        <source>Spend × the account&apos;s factor = the credits it is charged.</source>
        <translation>Ausgaben × Faktor des Kontos = das ihm berechnete Guthaben.</translation>
    </message>
    <message>
        <source>Overflow ledger</source>
        <translation>Überlauf-Journal</translation>
    </message>
    <message>
        <source>All entries</source>
        <translation>Alle Einträge</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>Beglichen</translation>
    </message>
    <message>
        <source>Se&amp;ttle…</source>
        <translation>Beg&amp;leichen…</translation>
    </message>
    <message>
        <source>Mark what is open of the selected entry settled, with a reference</source>
        <translation>Den offenen Teil des ausgewählten Eintrags mit einer Referenz als beglichen markieren</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made.</source>
        <translation>
            <numerusform>%n Änderung vorgenommen.</numerusform>
            <numerusform>%n Änderungen vorgenommen.</numerusform>
        </translation>
    </message>
    <message>
        <source>No account has gone past its budget in a period yet.</source>
        <translation>Noch kein Konto hat in einem Zeitraum sein Budget überschritten.</translation>
    </message>
    <message numerus="yes">
        <source>Open: %1 in %n entr(y/ies); settled: %2</source>
        <translation>
            <numerusform>Offen: %1 in %n Eintrag; beglichen: %2</numerusform>
            <numerusform>Offen: %1 in %n Einträgen; beglichen: %2</numerusform>
        </translation>
    </message>
    <message>
        <source>No workspace is open: credits and the ledger cannot change here.</source>
        <translation>Kein Arbeitsbereich ist geöffnet: Guthaben und Journal können hier nicht geändert werden.</translation>
    </message>
</context>
<context>
    <name>opsdeck::CveExceptionsModel</name>
    <message>
        <source>CVE</source>
        <translation>CVE</translation>
    </message>
    <message>
        <source>Covers</source>
        <translation>Umfasst</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <source>Granted by</source>
        <translation>Gewährt von</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>every image of the project</source>
        <translation>jedes Image des Projekts</translation>
    </message>
    <message>
        <source>every project</source>
        <translation>jedes Projekt</translation>
    </message>
</context>
<context>
    <name>opsdeck::Database</name>
    <message>
        <source>The cache database is damaged (%1 failed: %2).</source>
        <translation>Die Cache-Datenbank ist beschädigt (%1 fehlgeschlagen: %2).</translation>
    </message>
    <message>
        <source>The cache database is locked by another program (%1 failed: %2). Is another Opsdeck running on the same data directory?</source>
        <translation>Die Cache-Datenbank ist von einem anderen Programm gesperrt (%1 fehlgeschlagen: %2). Läuft ein anderes Opsdeck auf demselben Datenverzeichnis?</translation>
    </message>
    <message>
        <source>The cache database cannot be written (%1 failed: %2).</source>
        <translation>In die Cache-Datenbank kann nicht geschrieben werden (%1 fehlgeschlagen: %2).</translation>
    </message>
    <message>
        <source>The disk is full (%1 failed).</source>
        <translation>Der Datenträger ist voll (%1 fehlgeschlagen).</translation>
    </message>
    <message>
        <source>The cache database cannot be opened (%1 failed: %2).</source>
        <translation>Die Cache-Datenbank kann nicht geöffnet werden (%1 fehlgeschlagen: %2).</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Opening %1</source>
        <translation>%1 wird geöffnet</translation>
    </message>
    <message>
        <source>Reading the schema version</source>
        <translation>Schema-Version wird gelesen</translation>
    </message>
    <message>
        <source>Cannot create the data directory %1.</source>
        <translation>Das Datenverzeichnis %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>The cache database %1 is read-only for this user.</source>
        <translation>Die Cache-Datenbank %1 ist für diesen Benutzer schreibgeschützt.</translation>
    </message>
    <message>
        <source>The data directory %1 is not writable.</source>
        <translation>In das Datenverzeichnis %1 kann nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>There is no cache database at %1 to open read-only.</source>
        <translation>Unter %1 gibt es keine Cache-Datenbank, die schreibgeschützt geöffnet werden könnte.</translation>
    </message>
    <message>
        <source>The cache database %1 has schema version %2, but this Opsdeck knows only up to version %3. It was written by a newer Opsdeck; it has not been changed. Use the newer version, or start with another data directory.</source>
        <translation>Die Cache-Datenbank %1 hat Schema-Version %2, aber dieses Opsdeck kennt nur bis Version %3. Sie wurde von einem neueren Opsdeck geschrieben und nicht verändert. Verwenden Sie die neuere Version oder beginnen Sie mit einem anderen Datenverzeichnis.</translation>
    </message>
    <message>
        <source>The cache database %1 needs an upgrade (schema %2 to %3), which a read-only open cannot do.</source>
        <translation>Die Cache-Datenbank %1 braucht ein Upgrade (Schema %2 auf %3), das beim schreibgeschützten Öffnen nicht möglich ist.</translation>
    </message>
    <message>
        <source>Switching to WAL mode</source>
        <translation>Wechsel in den WAL-Modus</translation>
    </message>
    <message>
        <source>Starting the schema upgrade</source>
        <translation>Schema-Upgrade wird gestartet</translation>
    </message>
    <message>
        <source>Migration %1 is missing from the application.</source>
        <translation>Migration %1 fehlt in der Anwendung.</translation>
    </message>
    <message>
        <source>Migration %1</source>
        <translation>Migration %1</translation>
    </message>
    <message>
        <source>Recording the schema version</source>
        <translation>Schema-Version wird festgehalten</translation>
    </message>
    <message>
        <source>Committing the schema upgrade</source>
        <translation>Schema-Upgrade wird abgeschlossen</translation>
    </message>
    <message>
        <source>Cannot move %1 aside to %2.</source>
        <translation>%1 kann nicht nach %2 beiseitegelegt werden.</translation>
    </message>
    <message>
        <source>The cache database is not open.</source>
        <translation>Die Cache-Datenbank ist nicht geöffnet.</translation>
    </message>
    <message>
        <source>Starting a cache transaction</source>
        <translation>Cache-Transaktion wird gestartet</translation>
    </message>
    <message>
        <source>No cache transaction is active.</source>
        <translation>Keine Cache-Transaktion ist aktiv.</translation>
    </message>
    <message>
        <source>Committing to the cache</source>
        <translation>Wird in den Cache übernommen</translation>
    </message>
</context>
<context>
    <name>opsdeck::DatabaseProblem</name>
    <message>
        <source>Opsdeck cannot open its cache</source>
        <translation>Opsdeck kann seinen Cache nicht öffnen</translation>
    </message>
    <message>
        <source>Cache file: %1</source>
        <translation>Cache-Datei: %1</translation>
    </message>
    <message>
        <source>Open &amp;read-only</source>
        <translation>&amp;Schreibgeschützt öffnen</translation>
    </message>
    <message>
        <source>&amp;Move it aside and start fresh</source>
        <translation>&amp;Beiseitelegen und neu beginnen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
</context>
<context>
    <name>opsdeck::DemoWorkspace</name>
    <message>
        <source>Reading the demo workspace</source>
        <translation>Demo-Arbeitsbereich wird gelesen</translation>
    </message>
    <message>
        <source>The demo data is missing from this build.</source>
        <translation>Die Demodaten fehlen in diesem Build.</translation>
    </message>
    <message>
        <source>The demo data is invalid: %1</source>
        <translation>Die Demodaten sind ungültig: %1</translation>
    </message>
    <message>
        <source>The demo workspace has no connections to write audit events for.</source>
        <translation>Der Demo-Arbeitsbereich hat keine Verbindungen, für die Audit-Ereignisse geschrieben werden könnten.</translation>
    </message>
    <message>
        <source>Preparing the demo audit log was cancelled.</source>
        <translation>Die Vorbereitung des Demo-Audit-Logs wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Writing the demo label policy</source>
        <translation>Demo-Label-Richtlinie wird geschrieben</translation>
    </message>
    <message>
        <source>Writing the demo team</source>
        <translation>Demo-Team wird geschrieben</translation>
    </message>
    <message>
        <source>Writing the demo grants</source>
        <translation>Demo-Berechtigungen werden geschrieben</translation>
    </message>
    <message>
        <source>farid is deactivated and can no longer sign in.</source>
        <translation>farid ist deaktiviert und kann sich nicht mehr anmelden.</translation>
    </message>
    <message>
        <source>fhaddad is out of %1.</source>
        <translation>fhaddad ist nicht mehr in %1.</translation>
    </message>
    <message>
        <source>Removing fhaddad from the organization %1: cannot reach the server (connection refused).</source>
        <translation>fhaddad wird aus der Organisation %1 entfernt: Der Server ist nicht erreichbar (Verbindung abgelehnt).</translation>
    </message>
    <message>
        <source>Left Acme at the end of November.</source>
        <translation>Hat Acme Ende November verlassen.</translation>
    </message>
    <message>
        <source>Writing the demo offboarding</source>
        <translation>Demo-Offboarding wird geschrieben</translation>
    </message>
    <message>
        <source>Writing the demo images</source>
        <translation>Demo-Images werden geschrieben</translation>
    </message>
    <message>
        <source>Writing the demo budgets</source>
        <translation>Demo-Budgets werden geschrieben</translation>
    </message>
    <message>
        <source>Writing the demo policies</source>
        <translation>Demo-Richtlinien werden geschrieben</translation>
    </message>
</context>
<context>
    <name>opsdeck::DeployDialog</name>
    <message>
        <source>Deploy with compose</source>
        <translation>Mit Compose bereitstellen</translation>
    </message>
    <message>
        <source>From a GitHub &amp;template repository</source>
        <translation>Aus einem GitHub-&amp;Vorlagen-Repository</translation>
    </message>
    <message>
        <source>From a &amp;local directory with a compose file</source>
        <translation>Aus einem &amp;lokalen Verzeichnis mit Compose-Datei</translation>
    </message>
    <message>
        <source>No tunnel route</source>
        <translation>Keine Tunnel-Route</translation>
    </message>
    <message>
        <source>owner/template-repository</source>
        <translation>owner/vorlagen-repository</translation>
    </message>
    <message>
        <source>My new service</source>
        <translation>Mein neuer Dienst</translation>
    </message>
    <message>
        <source>&amp;Private repository</source>
        <translation>&amp;Privates Repository</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>app.example.com</source>
        <translation>app.example.com</translation>
    </message>
    <message>
        <source>compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml</source>
        <translation>compose.yaml, compose.yml, docker-compose.yaml oder docker-compose.yml</translation>
    </message>
    <message>
        <source>Any file of the repository or directory, relative to it (passed to compose with -f). Empty: the first of the standard names.</source>
        <translation>Eine beliebige Datei des Repositorys oder Verzeichnisses, relativ dazu (an Compose mit -f übergeben). Leer: der erste der Standardnamen.</translation>
    </message>
    <message>
        <source>The service and container port the route points to (service:port). The port must be published on a fixed host port.</source>
        <translation>Dienst und Container-Port, auf die die Route zeigt (dienst:port). Der Port muss auf einem festen Host-Port veröffentlicht sein.</translation>
    </message>
    <message>
        <source>Proposed: the service and port that serve HTTP</source>
        <translation>Vorgeschlagen: der Dienst und Port, die HTTP bedienen</translation>
    </message>
    <message>
        <source>&amp;Deploy</source>
        <translation>&amp;Bereitstellen</translation>
    </message>
    <message>
        <source>&amp;GitHub connection:</source>
        <translation>&amp;GitHub-Verbindung:</translation>
    </message>
    <message>
        <source>Te&amp;mplate:</source>
        <translation>Vor&amp;lage:</translation>
    </message>
    <message>
        <source>&amp;Owner:</source>
        <translation>&amp;Eigentümer:</translation>
    </message>
    <message>
        <source>New &amp;repository:</source>
        <translation>Neues &amp;Repository:</translation>
    </message>
    <message>
        <source>D&amp;irectory:</source>
        <translation>Ver&amp;zeichnis:</translation>
    </message>
    <message>
        <source>Compose &amp;file:</source>
        <translation>Compose-&amp;Datei:</translation>
    </message>
    <message>
        <source>Docker &amp;host:</source>
        <translation>Docker-&amp;Host:</translation>
    </message>
    <message>
        <source>T&amp;unnel:</source>
        <translation>T&amp;unnel:</translation>
    </message>
    <message>
        <source>Host&amp;name:</source>
        <translation>Host&amp;name:</translation>
    </message>
    <message>
        <source>Route &amp;to:</source>
        <translation>Route &amp;zu:</translation>
    </message>
    <message>
        <source>Directory with a compose file</source>
        <translation>Verzeichnis mit einer Compose-Datei</translation>
    </message>
    <message>
        <source>Route to &quot;%1&quot;: write service:port, e.g. web:8080, or leave the proposal.</source>
        <translation>Route zu „%1“: Schreiben Sie dienst:port, z. B. web:8080, oder lassen Sie den Vorschlag stehen.</translation>
    </message>
    <message>
        <source>%1 publishes container port %2 without a fixed host port: publish it as &quot;127.0.0.1:HOSTPORT:%2&quot; in %3, then choose it.</source>
        <translation>%1 veröffentlicht Container-Port %2 ohne festen Host-Port: Veröffentlichen Sie ihn als „127.0.0.1:HOSTPORT:%2“ in %3 und wählen Sie ihn dann.</translation>
    </message>
    <message>
        <source>Enter a name for the new repository.</source>
        <translation>Geben Sie einen Namen für das neue Repository ein.</translation>
    </message>
    <message>
        <source>The repository will be %1/%2.</source>
        <translation>Das Repository wird %1/%2.</translation>
    </message>
    <message>
        <source>The repository will be %1/%2 (lower case and hyphens).</source>
        <translation>Das Repository wird %1/%2 (Kleinbuchstaben und Bindestriche).</translation>
    </message>
    <message>
        <source>Reading the compose project…</source>
        <translation>Compose-Projekt wird gelesen…</translation>
    </message>
    <message>
        <source>No proposal: choose below</source>
        <translation>Kein Vorschlag: Wählen Sie unten</translation>
    </message>
    <message>
        <source>Proposed: %1</source>
        <translation>Vorgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1: container port %2, host %3%4</source>
        <translation>%1: Container-Port %2, Host %3%4</translation>
    </message>
    <message>
        <source>%1: container port %2, no fixed host port (cannot be routed)</source>
        <translation>%1: Container-Port %2, kein fester Host-Port (nicht routbar)</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n route candidate(s).</source>
        <translation>
            <numerusform>%1: %n Routen-Kandidat.</numerusform>
            <numerusform>%1: %n Routen-Kandidaten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Needs Compose v2 for: %1.</source>
        <translation>Braucht Compose v2 für: %1.</translation>
    </message>
    <message>
        <source>Directory</source>
        <translation>Verzeichnis</translation>
    </message>
</context>
<context>
    <name>opsdeck::DeployService</name>
    <message>
        <source>%1 is not a directory.</source>
        <translation>%1 ist kein Verzeichnis.</translation>
    </message>
    <message>
        <source>Cancelled before compose ran.</source>
        <translation>Abgebrochen, bevor Compose lief.</translation>
    </message>
    <message>
        <source> The clone stays in %1; the repository stays on GitHub.</source>
        <translation> Der Klon bleibt in %1; das Repository bleibt auf GitHub.</translation>
    </message>
    <message>
        <source>%1 Nothing was started.%2</source>
        <translation>%1 Es wurde nichts gestartet.%2</translation>
    </message>
    <message>
        <source>the compose project %1</source>
        <translation>das Compose-Projekt %1</translation>
    </message>
    <message>
        <source>The workspace keeps no image allowlist: the images are not checked.</source>
        <translation>Der Arbeitsbereich führt keine Image-Freigabeliste: Die Images werden nicht geprüft.</translation>
    </message>
    <message>
        <source> To choose, deploy the clone again from Deploy with compose › From a local directory.</source>
        <translation> Um zu wählen, stellen Sie den Klon erneut über Mit Compose bereitstellen › Aus einem lokalen Verzeichnis bereit.</translation>
    </message>
    <message>
        <source>The route will point to %1, container port %2, host port %3%4.</source>
        <translation>Die Route wird auf %1 zeigen, Container-Port %2, Host-Port %3%4.</translation>
    </message>
    <message>
        <source>%1 (%2) refused %3: %4</source>
        <translation>%1 (%2) hat %3 abgelehnt: %4</translation>
    </message>
    <message>
        <source>no answer within 60 s</source>
        <translation>keine Antwort innerhalb von 60 s</translation>
    </message>
    <message>
        <source>Using %1 (%2) with DOCKER_HOST=%3</source>
        <translation>%1 (%2) wird mit DOCKER_HOST=%3 verwendet</translation>
    </message>
    <message>
        <source>Taking down what compose had started for project %1…</source>
        <translation>Was Compose für Projekt %1 gestartet hatte, wird heruntergefahren…</translation>
    </message>
    <message>
        <source>Took down what compose had started for project %1.</source>
        <translation>Was Compose für Projekt %1 gestartet hatte, wurde heruntergefahren.</translation>
    </message>
    <message>
        <source>Taking project %1 down again failed (%2): check its containers.</source>
        <translation>Projekt %1 wieder herunterzufahren ist fehlgeschlagen (%2): Prüfen Sie seine Container.</translation>
    </message>
    <message>
        <source>no answer within 120 s</source>
        <translation>keine Antwort innerhalb von 120 s</translation>
    </message>
    <message>
        <source>exit code %1</source>
        <translation>Exit-Code %1</translation>
    </message>
    <message>
        <source>Cancelled during compose up.</source>
        <translation>Während compose up abgebrochen.</translation>
    </message>
    <message>
        <source>compose up failed (exit code %1).</source>
        <translation>compose up ist fehlgeschlagen (Exit-Code %1).</translation>
    </message>
    <message>
        <source>no tunnel chosen</source>
        <translation>kein Tunnel gewählt</translation>
    </message>
    <message>
        <source>Project %1 is up.</source>
        <translation>Projekt %1 läuft.</translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>Listing the containers of project %1</source>
        <translation>Container von Projekt %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>Project %1 is up but publishes no port to route: set the route&apos;s port.</source>
        <translation>Projekt %1 läuft, veröffentlicht aber keinen Port zum Routen: Legen Sie den Port der Route fest.</translation>
    </message>
    <message>
        <source>the quick service %1</source>
        <translation>der Schnelldienst %1</translation>
    </message>
    <message>
        <source>Choose a Docker host.</source>
        <translation>Wählen Sie einen Docker-Host.</translation>
    </message>
    <message>
        <source>Quick service %1</source>
        <translation>Schnelldienst %1</translation>
    </message>
    <message>
        <source>Validate</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>Pull the image</source>
        <translation>Image holen</translation>
    </message>
    <message>
        <source>Create the container</source>
        <translation>Container anlegen</translation>
    </message>
    <message>
        <source>Start it</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Cannot record the job in the cache: %1</source>
        <translation>Der Job kann nicht im Cache festgehalten werden: %1</translation>
    </message>
    <message>
        <source>Refused before anything ran: %1</source>
        <translation>Abgelehnt, bevor etwas lief: %1</translation>
    </message>
    <message>
        <source>Listing the containers of %1</source>
        <translation>Container von %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>Cancelled before anything was made.</source>
        <translation>Abgebrochen, bevor etwas angelegt wurde.</translation>
    </message>
    <message>
        <source>a container named %1 exists on %2 already: choose another name.</source>
        <translation>ein Container namens %1 existiert bereits auf %2: Wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <source>host port %1 is published by the container %2 already.</source>
        <translation>Host-Port %1 wird bereits vom Container %2 veröffentlicht.</translation>
    </message>
    <message>
        <source>host port %1 is in use on this machine.</source>
        <translation>Host-Port %1 ist auf diesem Rechner belegt.</translation>
    </message>
    <message>
        <source>no free host port was found.</source>
        <translation>es wurde kein freier Host-Port gefunden.</translation>
    </message>
    <message>
        <source>Host port %1 chosen (free%2, not published by any container).</source>
        <translation>Host-Port %1 gewählt (frei%2, von keinem Container veröffentlicht).</translation>
    </message>
    <message>
        <source> on this machine</source>
        <translation> auf diesem Rechner</translation>
    </message>
    <message>
        <source>%1 as %2%3</source>
        <translation>%1 als %2%3</translation>
    </message>
    <message>
        <source>, port %1 → %2</source>
        <translation>, Port %1 → %2</translation>
    </message>
    <message>
        <source>Pulling %1</source>
        <translation>%1 wird geholt</translation>
    </message>
    <message>
        <source>Pulling…</source>
        <translation>Wird geholt…</translation>
    </message>
    <message>
        <source>Cancelled while pulling: nothing was created.</source>
        <translation>Beim Holen abgebrochen: Es wurde nichts angelegt.</translation>
    </message>
    <message>
        <source>Pulling %1 failed: %2 (nothing was created).</source>
        <translation>Holen von %1 fehlgeschlagen: %2 (es wurde nichts angelegt).</translation>
    </message>
    <message>
        <source>Pulled %1</source>
        <translation>%1 geholt</translation>
    </message>
    <message>
        <source>Creating %1</source>
        <translation>%1 wird angelegt</translation>
    </message>
    <message>
        <source>Created container %1 (%2).</source>
        <translation>Container %1 angelegt (%2).</translation>
    </message>
    <message>
        <source>Cancelled after the container was created.</source>
        <translation>Abgebrochen, nachdem der Container angelegt war.</translation>
    </message>
    <message>
        <source>Creating %1 failed: %2 (the image was pulled).</source>
        <translation>Anlegen von %1 fehlgeschlagen: %2 (das Image wurde geholt).</translation>
    </message>
    <message>
        <source>Starting %1</source>
        <translation>%1 wird gestartet</translation>
    </message>
    <message>
        <source>Cancelled while starting.</source>
        <translation>Beim Starten abgebrochen.</translation>
    </message>
    <message>
        <source>Starting %1 failed: %2</source>
        <translation>Starten von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1 runs but publishes no port to route.</source>
        <translation>%1 läuft, veröffentlicht aber keinen Port zum Routen.</translation>
    </message>
    <message>
        <source>%1 runs, published on port %2.</source>
        <translation>%1 läuft, veröffentlicht auf Port %2.</translation>
    </message>
    <message>
        <source>%1 runs.</source>
        <translation>%1 läuft.</translation>
    </message>
    <message>
        <source>Removing the container this job created</source>
        <translation>Der von diesem Job angelegte Container wird entfernt</translation>
    </message>
    <message>
        <source>Removed the container %1 that this job had created.</source>
        <translation>Der von diesem Job angelegte Container %1 wurde entfernt.</translation>
    </message>
    <message>
        <source>Could not remove the container %1 that this job created: %2</source>
        <translation>Der von diesem Job angelegte Container %1 konnte nicht entfernt werden: %2</translation>
    </message>
    <message>
        <source>The container %1 it created is still there.</source>
        <translation>Der angelegte Container %1 ist noch da.</translation>
    </message>
    <message>
        <source>Create the repository from the template</source>
        <translation>Repository aus der Vorlage anlegen</translation>
    </message>
    <message>
        <source>Wait for the repository</source>
        <translation>Auf das Repository warten</translation>
    </message>
    <message>
        <source>Clone</source>
        <translation>Klonen</translation>
    </message>
    <message>
        <source>Compose up</source>
        <translation>Compose up</translation>
    </message>
    <message>
        <source>Route through the tunnel</source>
        <translation>Durch den Tunnel routen</translation>
    </message>
    <message>
        <source>Deploy %1/%2 from %3</source>
        <translation>%1/%2 aus %3 bereitstellen</translation>
    </message>
    <message>
        <source>Deploy %1</source>
        <translation>%1 bereitstellen</translation>
    </message>
    <message>
        <source>The workspace directory %1 cannot be created.</source>
        <translation>Das Arbeitsverzeichnis %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>%1 exists in the workspace already: choose another repository name.</source>
        <translation>%1 existiert bereits im Arbeitsverzeichnis: Wählen Sie einen anderen Repository-Namen.</translation>
    </message>
    <message>
        <source>The GitHub connection of this deploy is gone.</source>
        <translation>Die GitHub-Verbindung dieses Deploys ist weg.</translation>
    </message>
    <message>
        <source>Template deploys need a GitHub connection with a token or a GitHub App (%1 has neither).</source>
        <translation>Vorlagen-Deploys brauchen eine GitHub-Verbindung mit Token oder GitHub App (%1 hat keins von beiden).</translation>
    </message>
    <message>
        <source>Checking that %1/%2 does not exist</source>
        <translation>Es wird geprüft, dass %1/%2 nicht existiert</translation>
    </message>
    <message>
        <source>The repository %1/%2 exists already: choose another name, e.g. %2-2.</source>
        <translation>Das Repository %1/%2 existiert bereits: Wählen Sie einen anderen Namen, z. B. %2-2.</translation>
    </message>
    <message>
        <source>GitHub answered %1.</source>
        <translation>GitHub hat %1 geantwortet.</translation>
    </message>
    <message>
        <source>%1/%2 into %3</source>
        <translation>%1/%2 nach %3</translation>
    </message>
    <message>
        <source>Creating %1/%2 from %3</source>
        <translation>%1/%2 wird aus %3 angelegt</translation>
    </message>
    <message>
        <source>Cancelled while the repository was being created: check whether %1/%2 exists on GitHub.</source>
        <translation>Beim Anlegen des Repositorys abgebrochen: Prüfen Sie, ob %1/%2 auf GitHub existiert.</translation>
    </message>
    <message>
        <source>Creating the repository failed: %1</source>
        <translation>Anlegen des Repositorys fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>GitHub answered the repository creation with something Opsdeck cannot use: %1 Check whether %2/%3 exists on GitHub.</source>
        <translation>GitHub hat das Anlegen des Repositorys mit etwas beantwortet, das Opsdeck nicht verwenden kann: %1 Prüfen Sie, ob %2/%3 auf GitHub existiert.</translation>
    </message>
    <message>
        <source>Created %1 (%2).</source>
        <translation>%1 angelegt (%2).</translation>
    </message>
    <message>
        <source>%1/%2 was created on GitHub but was not ready within a minute (%3): it is left there. Deploy it again once it shows its files on GitHub.</source>
        <translation>%1/%2 wurde auf GitHub angelegt, war aber nicht innerhalb einer Minute bereit (%3): Es bleibt dort. Stellen Sie es erneut bereit, sobald es auf GitHub seine Dateien zeigt.</translation>
    </message>
    <message>
        <source>Not ready yet (%1); asking again in %2 s.</source>
        <translation>Noch nicht bereit (%1); erneute Anfrage in %2 s.</translation>
    </message>
    <message>
        <source>Waiting for %1/%2</source>
        <translation>Warten auf %1/%2</translation>
    </message>
    <message>
        <source>Cancelled while waiting: the repository %1/%2 was created on GitHub and is left there.</source>
        <translation>Beim Warten abgebrochen: Das Repository %1/%2 wurde auf GitHub angelegt und bleibt dort.</translation>
    </message>
    <message>
        <source>no default branch yet</source>
        <translation>noch kein Standard-Branch</translation>
    </message>
    <message>
        <source>its branch %1 has no commit yet</source>
        <translation>sein Branch %1 hat noch keinen Commit</translation>
    </message>
    <message>
        <source>%1 is at %2.</source>
        <translation>%1 ist bei %2.</translation>
    </message>
    <message>
        <source>Cloning %1 into %2</source>
        <translation>%1 wird nach %2 geklont</translation>
    </message>
    <message>
        <source>Cancelled while cloning: the partial clone was removed; the repository %1/%2 stays on GitHub.</source>
        <translation>Beim Klonen abgebrochen: Der unvollständige Klon wurde entfernt; das Repository %1/%2 bleibt auf GitHub.</translation>
    </message>
    <message>
        <source>%1 The repository %2/%3 was created on GitHub and is left there.</source>
        <translation>%1 Das Repository %2/%3 wurde auf GitHub angelegt und bleibt dort.</translation>
    </message>
    <message>
        <source>%1 The repository was cloned to %2; nothing was started.</source>
        <translation>%1 Das Repository wurde nach %2 geklont; es wurde nichts gestartet.</translation>
    </message>
    <message>
        <source>Step: %1</source>
        <translation>Schritt: %1</translation>
    </message>
    <message>
        <source>Cancel requested by %1.</source>
        <translation>Abbruch angefordert von %1.</translation>
    </message>
    <message>
        <source>Job %1 left no clone to deploy again: deploy the template anew with another repository name.</source>
        <translation>Job %1 hat keinen Klon hinterlassen, der erneut bereitgestellt werden könnte: Stellen Sie die Vorlage mit einem anderen Repository-Namen neu bereit.</translation>
    </message>
    <message>
        <source>The environment values of job %1 are not kept across restarts (they may be secrets): open Quick service and enter them again.</source>
        <translation>Die Umgebungswerte von Job %1 werden über Neustarts nicht aufbewahrt (sie können Geheimnisse sein): Öffnen Sie Schnelldienst und geben Sie sie erneut ein.</translation>
    </message>
    <message>
        <source>The tunnel connection is gone; %1 is up without a route.</source>
        <translation>Die Tunnel-Verbindung ist weg; %1 läuft ohne Route.</translation>
    </message>
    <message>
        <source>%1 is up, but the route failed: %2</source>
        <translation>%1 läuft, aber die Route ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1 is up and routed: https://%2 → port %3.</source>
        <translation>%1 läuft und ist geroutet: https://%2 → Port %3.</translation>
    </message>
    <message>
        <source>%1 has a route already: pointing it at port %2.</source>
        <translation>%1 hat bereits eine Route: Sie wird auf Port %2 gerichtet.</translation>
    </message>
    <message>
        <source>The image policy refuses %1:
%2</source>
        <translation>Die Image-Richtlinie lehnt %1 ab:
%2</translation>
    </message>
</context>
<context>
    <name>opsdeck::DeploymentsPane</name>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>In Gebrauch</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Reclaimable</source>
        <translation>Freigebbar</translation>
    </message>
    <message>
        <source>Remove stopped &amp;containers…</source>
        <translation>Gestoppte &amp;Container entfernen…</translation>
    </message>
    <message>
        <source>Images, volumes and build cache are not pruned from here: the Engine API operations Opsdeck uses do not include deleting them.</source>
        <translation>Images, Volumes und Build-Cache werden hier nicht bereinigt: Die Engine-API-Operationen, die Opsdeck verwendet, umfassen ihr Löschen nicht.</translation>
    </message>
    <message>
        <source>Removing stopped containers: %1 of %2…</source>
        <translation>Gestoppte Container werden entfernt: %1 von %2…</translation>
    </message>
    <message numerus="yes">
        <source>Removed %n stopped container(s).</source>
        <translation>
            <numerusform>%n gestoppter Container entfernt.</numerusform>
            <numerusform>%n gestoppte Container entfernt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Removed %1, %2 failed: %3</source>
        <translation>%1 entfernt, %2 fehlgeschlagen: %3</translation>
    </message>
    <message>
        <source>Remove stopped containers</source>
        <translation>Gestoppte Container entfernen</translation>
    </message>
    <message numerus="yes">
        <source>Remove every stopped container on %1 (%n listed now)? Each removal is audited; their volumes are kept.</source>
        <translation>
            <numerusform>Jeden gestoppten Container auf %1 entfernen (derzeit %n aufgeführt)? Jede Entfernung wird auditiert; ihre Volumes bleiben erhalten.</numerusform>
            <numerusform>Jeden gestoppten Container auf %1 entfernen (derzeit %n aufgeführt)? Jede Entfernung wird auditiert; ihre Volumes bleiben erhalten.</numerusform>
        </translation>
    </message>
    <message>
        <source>No Docker host yet.</source>
        <translation>Noch kein Docker-Host.</translation>
    </message>
    <message>
        <source>%1 (%2): not refreshed yet. Press F5.</source>
        <translation>%1 (%2): noch nicht aktualisiert. Drücken Sie F5.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>%1 (%2): %3
Engine %4 (API %5), %6/%7. Opsdeck speaks API %8 with it. Checked %9.</source>
        <translation>%1 (%2): %3
Engine %4 (API %5), %6/%7. Opsdeck spricht API %8 mit ihr. Geprüft %9.</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 bis %2</translation>
    </message>
    <message>
        <source>(not negotiated yet: press F5)</source>
        <translation>(noch nicht ausgehandelt: F5 drücken)</translation>
    </message>
    <message>
        <source>Disk usage not read: %1</source>
        <translation>Speichernutzung nicht gelesen: %1</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>Select a job to see its log.</source>
        <translation>Wählen Sie einen Job, um sein Log zu sehen.</translation>
    </message>
    <message>
        <source>&amp;Cancel job</source>
        <translation>Job &amp;abbrechen</translation>
    </message>
    <message>
        <source>Re&amp;deploy</source>
        <translation>Erneut be&amp;reitstellen</translation>
    </message>
    <message>
        <source>Select a running job to cancel.</source>
        <translation>Wählen Sie einen laufenden Job zum Abbrechen.</translation>
    </message>
    <message>
        <source>Job %1 is not running.</source>
        <translation>Job %1 läuft nicht.</translation>
    </message>
    <message>
        <source>Cancelling job %1…</source>
        <translation>Job %1 wird abgebrochen…</translation>
    </message>
    <message>
        <source>Select a job to deploy again.</source>
        <translation>Wählen Sie einen Job zum erneuten Bereitstellen.</translation>
    </message>
    <message>
        <source>Deployments</source>
        <translation>Deployments</translation>
    </message>
    <message>
        <source>Containers and deployments on your Docker hosts</source>
        <translation>Container und Deployments auf Ihren Docker-Hosts</translation>
    </message>
    <message>
        <source>This pane runs and manages services on a Docker host: one-click services from an image, deploys of GitHub template repositories with compose, live logs, and routes through a Cloudflare tunnel.</source>
        <translation>Dieser Bereich betreibt und verwaltet Dienste auf einem Docker-Host: Ein-Klick-Dienste aus einem Image, Deploys von GitHub-Vorlagen-Repositorys mit Compose, Live-Logs und Routen durch einen Cloudflare-Tunnel.</translation>
    </message>
    <message>
        <source>Filter by name, image, port, project…</source>
        <translation>Nach Name, Image, Port, Projekt filtern…</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Alle Zustände</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Not running</source>
        <translation>Läuft nicht</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Whether the engines&apos; event streams are connected: the list updates by itself</source>
        <translation>Ob die Ereignisströme der Engines verbunden sind: Die Liste aktualisiert sich selbst</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;toppen</translation>
    </message>
    <message>
        <source>Rest&amp;art</source>
        <translation>Neu st&amp;arten</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <source>Remove the selected containers (Delete)</source>
        <translation>Die ausgewählten Container entfernen (Entf)</translation>
    </message>
    <message>
        <source>&amp;Quick service…</source>
        <translation>&amp;Schnelldienst…</translation>
    </message>
    <message>
        <source>Run a container from an image in one step (Ctrl+N)</source>
        <translation>Einen Container aus einem Image in einem Schritt starten (Strg+N)</translation>
    </message>
    <message>
        <source>&amp;Deploy…</source>
        <translation>&amp;Bereitstellen…</translation>
    </message>
    <message>
        <source>Deploy a GitHub template repository or a local directory with compose</source>
        <translation>Ein GitHub-Vorlagen-Repository oder ein lokales Verzeichnis mit Compose bereitstellen</translation>
    </message>
    <message>
        <source>&amp;Project</source>
        <translation>&amp;Projekt</translation>
    </message>
    <message>
        <source>Start, stop or remove the selected container&apos;s project as a unit</source>
        <translation>Das Projekt des ausgewählten Containers als Ganzes starten, stoppen oder entfernen</translation>
    </message>
    <message>
        <source>Start project</source>
        <translation>Projekt starten</translation>
    </message>
    <message>
        <source>Stop project</source>
        <translation>Projekt stoppen</translation>
    </message>
    <message>
        <source>Remove project…</source>
        <translation>Projekt entfernen…</translation>
    </message>
    <message>
        <source>&amp;Logs</source>
        <translation>&amp;Logs</translation>
    </message>
    <message>
        <source>Logs of the selected containers, merged by time (Ctrl+L)</source>
        <translation>Logs der ausgewählten Container, nach Zeit zusammengeführt (Strg+L)</translation>
    </message>
    <message>
        <source>stop after </source>
        <translation>stoppen nach </translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>How long the engine waits for a container to stop before it kills it</source>
        <translation>Wie lange die Engine wartet, bis ein Container stoppt, bevor sie ihn beendet</translation>
    </message>
    <message>
        <source>Containers</source>
        <translation>Container</translation>
    </message>
    <message>
        <source>Select one or more containers and press Logs (Ctrl+L): several are merged by time.</source>
        <translation>Wählen Sie einen oder mehrere Container und drücken Sie Logs (Strg+L): Mehrere werden nach Zeit zusammengeführt.</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Logs</translation>
    </message>
    <message>
        <source>Tunnel</source>
        <translation>Tunnel</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>The log stream ended (the containers stopped).</source>
        <translation>Der Log-Strom ist beendet (die Container wurden gestoppt).</translation>
    </message>
    <message>
        <source>The log stream ended: %1</source>
        <translation>Der Log-Strom ist beendet: %1</translation>
    </message>
    <message>
        <source>Stopped following.</source>
        <translation>Verfolgung beendet.</translation>
    </message>
    <message>
        <source>● live</source>
        <translation>● live</translation>
    </message>
    <message>
        <source>● reconnecting</source>
        <translation>● verbindet neu</translation>
    </message>
    <message>
        <source>The engines&apos; event streams are connected</source>
        <translation>Die Ereignisströme der Engines sind verbunden</translation>
    </message>
    <message>
        <source>Select a container of the project first.</source>
        <translation>Wählen Sie zuerst einen Container des Projekts.</translation>
    </message>
    <message>
        <source>%1 belongs to no project.</source>
        <translation>%1 gehört zu keinem Projekt.</translation>
    </message>
    <message>
        <source>Remove project</source>
        <translation>Projekt entfernen</translation>
    </message>
    <message>
        <source>Remove every container of project %1 (running ones are killed)? Volumes and networks stay. Each removal is audited.</source>
        <translation>Jeden Container von Projekt %1 entfernen (laufende werden beendet)? Volumes und Netzwerke bleiben. Jede Entfernung wird auditiert.</translation>
    </message>
    <message>
        <source>Working on project %1…</source>
        <translation>Projekt %1 wird bearbeitet…</translation>
    </message>
    <message>
        <source>%1 of %2 containers</source>
        <translation>%1 von %2 Containern</translation>
    </message>
    <message>
        <source>All projects</source>
        <translation>Alle Projekte</translation>
    </message>
    <message>
        <source>No project</source>
        <translation>Kein Projekt</translation>
    </message>
    <message>
        <source>Select the containers first.</source>
        <translation>Wählen Sie zuerst die Container.</translation>
    </message>
    <message numerus="yes">
        <source>Working on %n container(s)…</source>
        <translation>
            <numerusform>%n Container wird bearbeitet…</numerusform>
            <numerusform>%n Container werden bearbeitet…</numerusform>
        </translation>
    </message>
    <message>
        <source>Select the containers to remove first.</source>
        <translation>Wählen Sie zuerst die zu entfernenden Container.</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Fertig.</translation>
    </message>
    <message>
        <source>Select one or more containers to see their logs.</source>
        <translation>Wählen Sie einen oder mehrere Container, um ihre Logs zu sehen.</translation>
    </message>
    <message>
        <source>Logs can be merged for containers of one Docker host at a time.</source>
        <translation>Logs können nur für Container eines Docker-Hosts zugleich zusammengeführt werden.</translation>
    </message>
    <message>
        <source>Following %1…</source>
        <translation>%1 wird verfolgt…</translation>
    </message>
    <message>
        <source>Tunnel connection</source>
        <translation>Tunnel-Verbindung</translation>
    </message>
    <message>
        <source>Hostname</source>
        <translation>Hostname</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>Add &amp;route…</source>
        <translation>&amp;Route hinzufügen…</translation>
    </message>
    <message>
        <source>C&amp;hange port…</source>
        <translation>&amp;Port ändern…</translation>
    </message>
    <message>
        <source>Remove r&amp;oute…</source>
        <translation>R&amp;oute entfernen…</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>Neu &amp;laden</translation>
    </message>
    <message>
        <source>Add a Cloudflare connection with the tunnel&apos;s configuration file (locally managed) or its tunnel ID (remotely managed) to route services through it.</source>
        <translation>Fügen Sie eine Cloudflare-Verbindung mit der Konfigurationsdatei des Tunnels (lokal verwaltet) oder seiner Tunnel-ID (fernverwaltet) hinzu, um Dienste durch ihn zu routen.</translation>
    </message>
    <message>
        <source>Reading the tunnel configuration…</source>
        <translation>Tunnel-Konfiguration wird gelesen…</translation>
    </message>
    <message>
        <source>Remotely managed tunnel %1 (Cloudflare API).</source>
        <translation>Fernverwalteter Tunnel %1 (Cloudflare-API).</translation>
    </message>
    <message>
        <source>Locally managed tunnel %1, configuration %2.</source>
        <translation>Lokal verwalteter Tunnel %1, Konfiguration %2.</translation>
    </message>
    <message>
        <source>✔ The configuration is valid by cloudflared&apos;s rules.</source>
        <translation>✔ Die Konfiguration ist nach den Regeln von cloudflared gültig.</translation>
    </message>
    <message>
        <source>✘ The configuration is not valid: %1</source>
        <translation>✘ Die Konfiguration ist nicht gültig: %1</translation>
    </message>
    <message>
        <source>✘ cloudflared is not installed here: DNS routes must be created by hand.</source>
        <translation>✘ cloudflared ist hier nicht installiert: DNS-Routen müssen von Hand angelegt werden.</translation>
    </message>
    <message>
        <source>✔ cloudflared at %1, %2.</source>
        <translation>✔ cloudflared unter %1, %2.</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>not running</source>
        <translation>läuft nicht</translation>
    </message>
    <message>
        <source>(everything else)</source>
        <translation>(alles andere)</translation>
    </message>
    <message>
        <source>Select the route first (the catch-all rule stays).</source>
        <translation>Wählen Sie zuerst die Route (die Auffangregel bleibt).</translation>
    </message>
    <message>
        <source>Stop timeout</source>
        <translation>Stopp-Zeitlimit</translation>
    </message>
</context>
<context>
    <name>opsdeck::DesktopNotice</name>
    <message>
        <source>A deploy job finished</source>
        <translation>Ein Deploy-Job abgeschlossen ist</translation>
    </message>
    <message>
        <source>A deploy job failed</source>
        <translation>Ein Deploy-Job fehlgeschlagen ist</translation>
    </message>
    <message>
        <source>A connection&apos;s sync failed for the first time</source>
        <translation>Die Synchronisierung einer Verbindung erstmals fehlschlägt</translation>
    </message>
    <message>
        <source>An image request waits for my decision, or mine was answered</source>
        <translation>Eine Image-Anfrage auf mich wartet oder meine beantwortet wurde</translation>
    </message>
    <message>
        <source>A budget passed a soft limit</source>
        <translation>Ein Budget ein Soft-Limit überschritten hat</translation>
    </message>
    <message>
        <source>A test run has new failures</source>
        <translation>Ein Testlauf neue Fehlschläge hat</translation>
    </message>
    <message>
        <source>Deployed: %1</source>
        <translation>Bereitgestellt: %1</translation>
    </message>
    <message>
        <source>Deploy failed: %1</source>
        <translation>Deploy fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1 does not sync</source>
        <translation>%1 synchronisiert nicht</translation>
    </message>
    <message>
        <source>every project</source>
        <translation>alle Projekte</translation>
    </message>
    <message>
        <source>project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>Image request from %1</source>
        <translation>Image-Anfrage von %1</translation>
    </message>
    <message>
        <source>%1 for %2 waits for your decision.</source>
        <translation>%1 für %2 wartet auf Ihre Entscheidung.</translation>
    </message>
    <message>
        <source>Image request approved: %1</source>
        <translation>Image-Anfrage genehmigt: %1</translation>
    </message>
    <message>
        <source>Image request denied: %1</source>
        <translation>Image-Anfrage abgelehnt: %1</translation>
    </message>
    <message>
        <source>Decided by %1.</source>
        <translation>Entschieden von %1.</translation>
    </message>
    <message>
        <source>%1: “%2”</source>
        <translation>%1: „%2“</translation>
    </message>
    <message numerus="yes">
        <source>%n budget(s) on %1 passed a soft limit</source>
        <translation>
            <numerusform>%n Budget auf %1 hat ein Soft-Limit überschritten</numerusform>
            <numerusform>%n Budgets auf %1 haben ein Soft-Limit überschritten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weiterer</numerusform>
            <numerusform>und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>Budget soft limit on %1</source>
        <translation>Budget-Soft-Limit auf %1</translation>
    </message>
    <message numerus="yes">
        <source>%n new failure(s) in %1</source>
        <translation>
            <numerusform>%n neuer Fehlschlag in %1</numerusform>
            <numerusform>%n neue Fehlschläge in %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::DesktopNotifier</name>
    <message>
        <source>Opsdeck</source>
        <translation>Opsdeck</translation>
    </message>
    <message>
        <source>&amp;Show Opsdeck</source>
        <translation>Opsdeck &amp;anzeigen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
<context>
    <name>opsdeck::DeviceFlow</name>
    <message>
        <source>GitHub&apos;s answer to the device flow is not what its documentation describes: %1</source>
        <translation>Die Antwort von GitHub zum Device Flow entspricht nicht der Dokumentation: %1</translation>
    </message>
    <message>
        <source>The GitHub app does not allow the device flow: enable it in the app&apos;s settings on GitHub.</source>
        <translation>Die GitHub-App erlaubt den Device Flow nicht: Aktivieren Sie ihn in den Einstellungen der App auf GitHub.</translation>
    </message>
    <message>
        <source>GitHub does not know this client ID: check the OAuth app&apos;s client ID on the connection.</source>
        <translation>GitHub kennt diese Client-ID nicht: Prüfen Sie die Client-ID der OAuth-App in der Verbindung.</translation>
    </message>
    <message>
        <source>GitHub answered %1.</source>
        <translation>GitHub hat %1 geantwortet.</translation>
    </message>
    <message>
        <source>GitHub answered %1: %2</source>
        <translation>GitHub hat %1 geantwortet: %2</translation>
    </message>
    <message>
        <source>not a JSON object.</source>
        <translation>kein JSON-Objekt.</translation>
    </message>
    <message>
        <source>no device_code.</source>
        <translation>kein device_code.</translation>
    </message>
    <message>
        <source>the user_code is not eight characters with a hyphen in the middle.</source>
        <translation>der user_code besteht nicht aus acht Zeichen mit einem Bindestrich in der Mitte.</translation>
    </message>
    <message>
        <source>the verification_uri is not a web address.</source>
        <translation>die verification_uri ist keine Webadresse.</translation>
    </message>
    <message>
        <source>expires_in is not a number of seconds.</source>
        <translation>expires_in ist keine Anzahl von Sekunden.</translation>
    </message>
    <message>
        <source>interval is not a number of seconds.</source>
        <translation>interval ist keine Anzahl von Sekunden.</translation>
    </message>
    <message>
        <source>no access_token.</source>
        <translation>kein access_token.</translation>
    </message>
    <message>
        <source>The code expired before it was entered: start again for a new one.</source>
        <translation>Der Code ist abgelaufen, bevor er eingegeben wurde: Beginnen Sie erneut, um einen neuen zu erhalten.</translation>
    </message>
    <message>
        <source>The request was denied on GitHub: nothing was linked.</source>
        <translation>Die Anfrage wurde auf GitHub abgelehnt: Es wurde nichts verknüpft.</translation>
    </message>
</context>
<context>
    <name>opsdeck::DockerClient</name>
    <message>
        <source>Cannot read the %1 %2: %3</source>
        <translation>%1 %2 kann nicht gelesen werden: %3</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>CA-Datei</translation>
    </message>
    <message>
        <source>The CA file %1 holds no PEM certificate.</source>
        <translation>Die CA-Datei %1 enthält kein PEM-Zertifikat.</translation>
    </message>
    <message>
        <source>client certificate</source>
        <translation>Client-Zertifikat</translation>
    </message>
    <message>
        <source>%1 is not a PEM certificate.</source>
        <translation>%1 ist kein PEM-Zertifikat.</translation>
    </message>
    <message>
        <source>client key</source>
        <translation>Client-Schlüssel</translation>
    </message>
    <message>
        <source>%1 is not an unencrypted PEM RSA or EC key.</source>
        <translation>%1 ist kein unverschlüsselter PEM-RSA- oder -EC-Schlüssel.</translation>
    </message>
    <message>
        <source>Asking the Docker engine which API versions it speaks</source>
        <translation>Die Docker-Engine wird gefragt, welche API-Versionen sie spricht</translation>
    </message>
    <message>
        <source>The Docker engine at %1</source>
        <translation>Die Docker-Engine unter %1</translation>
    </message>
    <message>
        <source>The Docker engine at %1:%2</source>
        <translation>Die Docker-Engine unter %1:%2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: the Docker engine did not answer within %2 seconds.</source>
        <translation>%1: Die Docker-Engine hat nicht innerhalb von %2 Sekunden geantwortet.</translation>
    </message>
    <message>
        <source>Cannot reach the Docker engine at %1: %2</source>
        <translation>Die Docker-Engine unter %1 ist nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>The TLS certificate of the Docker engine at %1 was refused: %2</source>
        <translation>Das TLS-Zertifikat der Docker-Engine unter %1 wurde abgelehnt: %2</translation>
    </message>
    <message>
        <source>The answer from the Docker engine is larger than %1 MB.</source>
        <translation>Die Antwort der Docker-Engine ist größer als %1 MB.</translation>
    </message>
    <message>
        <source>%1: the Docker engine&apos;s address answered %2, a redirect to %3; Opsdeck does not follow redirects from an engine: check the endpoint.</source>
        <translation>%1: Die Adresse der Docker-Engine hat %2 geantwortet, eine Weiterleitung nach %3; Opsdeck folgt keinen Weiterleitungen einer Engine: Prüfen Sie den Endpunkt.</translation>
    </message>
    <message>
        <source>%1: the Docker engine answered %2%3</source>
        <translation>%1: Die Docker-Engine hat %2%3 geantwortet</translation>
    </message>
    <message>
        <source>The request was cancelled.</source>
        <translation>Die Anfrage wurde abgebrochen.</translation>
    </message>
</context>
<context>
    <name>opsdeck::DockerLogDecoder</name>
    <message>
        <source>The log stream could not be decoded.</source>
        <translation>Der Log-Strom konnte nicht dekodiert werden.</translation>
    </message>
    <message>
        <source>The log stream has an invalid frame header (stream %1); the rest is not shown.</source>
        <translation>Der Log-Strom hat einen ungültigen Frame-Header (Strom %1); der Rest wird nicht angezeigt.</translation>
    </message>
</context>
<context>
    <name>opsdeck::DockerService</name>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n Image</numerusform>
            <numerusform>%n Images</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is not an image ID.</source>
        <translation>%1 ist keine Image-ID.</translation>
    </message>
    <message>
        <source>Removing the image %1</source>
        <translation>Image %1 wird entfernt</translation>
    </message>
    <message>
        <source>Unknown prune kind %1.</source>
        <translation>Unbekannte Bereinigungsart %1.</translation>
    </message>
    <message>
        <source>Pruning the %1 of %2</source>
        <translation>%1 von %2 wird bereinigt</translation>
    </message>
    <message>
        <source>%1 does not offer build-cache pruning (it answered 404 to POST /build/prune; podman keeps no build cache there).</source>
        <translation>%1 bietet keine Bereinigung des Build-Caches (es hat POST /build/prune mit 404 beantwortet; podman führt dort keinen Build-Cache).</translation>
    </message>
    <message>
        <source>stopped containers</source>
        <translation>gestoppte Container</translation>
    </message>
    <message>
        <source>Listing the stopped containers of %1</source>
        <translation>Gestoppte Container von %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>Removing %1</source>
        <translation>%1 wird entfernt</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>Demodaten</translation>
    </message>
    <message>
        <source>all containers</source>
        <translation>alle Container</translation>
    </message>
    <message>
        <source>Listing the containers of %1</source>
        <translation>Container von %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>Reading the disk usage of %1</source>
        <translation>Speichernutzung von %1 wird gelesen</translation>
    </message>
    <message>
        <source>Listing the images of %1</source>
        <translation>Images von %1 werden aufgelistet</translation>
    </message>
    <message numerus="yes">
        <source>%n container(s)</source>
        <translation>
            <numerusform>%n Container</numerusform>
            <numerusform>%n Container</numerusform>
        </translation>
    </message>
    <message>
        <source>Live updates lost (%1); reconnecting in %2 s.</source>
        <translation>Live-Aktualisierungen verloren (%1); neue Verbindung in %2 s.</translation>
    </message>
    <message>
        <source>Following the events of %1</source>
        <translation>Ereignisse von %1 werden verfolgt</translation>
    </message>
    <message>
        <source>the engine closed the stream</source>
        <translation>die Engine hat den Strom geschlossen</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Pinging %1</source>
        <translation>%1 wird angepingt</translation>
    </message>
    <message>
        <source>Starting %1</source>
        <translation>%1 wird gestartet</translation>
    </message>
    <message>
        <source>Stopping %1</source>
        <translation>%1 wird gestoppt</translation>
    </message>
    <message>
        <source>Restarting %1</source>
        <translation>%1 wird neu gestartet</translation>
    </message>
    <message>
        <source>%1 was already running</source>
        <translation>%1 lief bereits</translation>
    </message>
    <message>
        <source>%1 was already stopped</source>
        <translation>%1 war bereits gestoppt</translation>
    </message>
    <message>
        <source>Choose a project.</source>
        <translation>Wählen Sie ein Projekt.</translation>
    </message>
    <message>
        <source>Listing the containers of project %1</source>
        <translation>Container von Projekt %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>No container belongs to project %1.</source>
        <translation>Kein Container gehört zu Projekt %1.</translation>
    </message>
    <message>
        <source>%1 of project %2</source>
        <translation>%1 von Projekt %2</translation>
    </message>
    <message>
        <source>This is the demo workspace: there are no live logs.</source>
        <translation>Dies ist der Demo-Arbeitsbereich: Es gibt keine Live-Logs.</translation>
    </message>
    <message>
        <source>Choose a container first.</source>
        <translation>Wählen Sie zuerst einen Container.</translation>
    </message>
    <message>
        <source>Inspecting container %1</source>
        <translation>Container %1 wird untersucht</translation>
    </message>
    <message>
        <source>Reading the logs of %1</source>
        <translation>Logs von %1 werden gelesen</translation>
    </message>
    <message>
        <source>Following the logs of %1</source>
        <translation>Logs von %1 werden verfolgt</translation>
    </message>
</context>
<context>
    <name>opsdeck::EngineApi</name>
    <message>
        <source>%1&apos;s answer to GET /version</source>
        <translation>Antwort von %1 auf GET /version</translation>
    </message>
    <message>
        <source>Opsdeck speaks Docker Engine API %1 to %2 (Docker Engine 1.12 to 27, or any newer engine that still accepts API %2; podman 3 and later).</source>
        <translation>Opsdeck spricht Docker Engine API %1 bis %2 (Docker Engine 1.12 bis 27 oder jede neuere Engine, die API %2 noch annimmt; podman 3 und neuer).</translation>
    </message>
    <message>
        <source>%1 gave &quot;%2&quot; as its API version, which is not a version number. %3</source>
        <translation>%1 hat „%2“ als API-Version angegeben, was keine Versionsnummer ist. %3</translation>
    </message>
    <message>
        <source>%1 gave &quot;%2&quot; as its oldest API version, which is not a version number. %3</source>
        <translation>%1 hat „%2“ als älteste API-Version angegeben, was keine Versionsnummer ist. %3</translation>
    </message>
    <message>
        <source>%1 (engine %2)</source>
        <translation>%1 (Engine %2)</translation>
    </message>
    <message>
        <source>%1 speaks Docker Engine API up to %2, older than Opsdeck reads. %3 Upgrade the engine.</source>
        <translation>%1 spricht Docker Engine API nur bis %2, älter als Opsdeck liest. %3 Aktualisieren Sie die Engine.</translation>
    </message>
    <message>
        <source>%1 no longer accepts API %2: it speaks %3 to %4, and its answers in those versions have shapes Opsdeck does not read. %5 Use an engine that still accepts API %2, or a newer Opsdeck.</source>
        <translation>%1 nimmt API %2 nicht mehr an: Sie spricht %3 bis %4, und ihre Antworten in diesen Versionen haben Formen, die Opsdeck nicht liest. %5 Verwenden Sie eine Engine, die API %2 noch annimmt, oder ein neueres Opsdeck.</translation>
    </message>
</context>
<context>
    <name>opsdeck::ExceptionDialog</name>
    <message>
        <source>Grant a CVE Exception</source>
        <translation>CVE-Ausnahme gewähren</translation>
    </message>
    <message>
        <source>CVE-2024-6119</source>
        <translation>CVE-2024-6119</translation>
    </message>
    <message>
        <source>registry.example.com/team/app:1.4-* (empty: every image of the project)</source>
        <translation>registry.example.com/team/app:1.4-* (leer: jedes Image des Projekts)</translation>
    </message>
    <message>
        <source>Every project</source>
        <translation>Jedes Projekt</translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>Why the finding may run for now (not exploitable here, fix pending…)</source>
        <translation>Warum der Befund vorerst laufen darf (hier nicht ausnutzbar, Behebung ausstehend…)</translation>
    </message>
    <message>
        <source>&amp;CVE:</source>
        <translation>&amp;CVE:</translation>
    </message>
    <message>
        <source>&amp;Image:</source>
        <translation>&amp;Image:</translation>
    </message>
    <message>
        <source>&amp;Project:</source>
        <translation>&amp;Projekt:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Grund:</translation>
    </message>
    <message>
        <source>E&amp;xpires on:</source>
        <translation>Läuft a&amp;b am:</translation>
    </message>
    <message>
        <source>&amp;Grant</source>
        <translation>&amp;Gewähren</translation>
    </message>
</context>
<context>
    <name>opsdeck::ExposureModel</name>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Container</source>
        <translation>Container</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Allowlist</source>
        <translation>Freigabeliste</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Scan</translation>
    </message>
    <message>
        <source>Exposure</source>
        <translation>Gefährdung</translation>
    </message>
    <message>
        <source>not exposed</source>
        <translation>nicht gefährdet</translation>
    </message>
</context>
<context>
    <name>opsdeck::FlakyCasesModel</name>
    <message>
        <source>Case</source>
        <translation>Fall</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Flips</source>
        <translation>Wechsel</translation>
    </message>
    <message>
        <source>Reruns</source>
        <translation>Wiederholungen</translation>
    </message>
    <message>
        <source>Flip rate</source>
        <translation>Wechselrate</translation>
    </message>
    <message>
        <source>Last failure</source>
        <translation>Letzter Fehlschlag</translation>
    </message>
    <message>
        <source>Reading the runs of a test source</source>
        <translation>Läufe einer Testquelle werden gelesen</translation>
    </message>
    <message>
        <source>Reading test case names</source>
        <translation>Namen der Testfälle werden gelesen</translation>
    </message>
    <message>
        <source>rerun and history</source>
        <translation>Wiederholung und Verlauf</translation>
    </message>
    <message>
        <source>passed on a rerun</source>
        <translation>bei Wiederholung bestanden</translation>
    </message>
    <message>
        <source>flips between runs</source>
        <translation>wechselt zwischen Läufen</translation>
    </message>
</context>
<context>
    <name>opsdeck::FlakyRulesDialog</name>
    <message>
        <source>Flaky Rules</source>
        <translation>Regeln für instabile Tests</translation>
    </message>
    <message>
        <source>A case that &amp;failed and then passed on a rerun is flaky</source>
        <translation>Ein Fall, der &amp;fehlschlug und bei einer Wiederholung bestand, ist instabil</translation>
    </message>
    <message>
        <source> runs</source>
        <translation> Läufe</translation>
    </message>
    <message>
        <source>How many of the source&apos;s latest runs a case&apos;s history covers.</source>
        <translation>Wie viele der letzten Läufe der Quelle der Verlauf eines Falls umfasst.</translation>
    </message>
    <message>
        <source>A case that flips between passing and failing in more than this share of its runs is flaky.</source>
        <translation>Ein Fall, der in mehr als diesem Anteil seiner Läufe zwischen Bestehen und Fehlschlagen wechselt, ist instabil.</translation>
    </message>
    <message>
        <source>With fewer runs than this in the window, the history gives no verdict.</source>
        <translation>Mit weniger Läufen als diesen im Fenster gibt der Verlauf kein Urteil ab.</translation>
    </message>
    <message>
        <source>History &amp;window:</source>
        <translation>Verlaufs&amp;fenster:</translation>
    </message>
    <message>
        <source>Flip rate &amp;above:</source>
        <translation>Wechselrate &amp;über:</translation>
    </message>
    <message>
        <source>Judge &amp;after:</source>
        <translation>Urteilen &amp;ab:</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Fall</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <source>With these rules</source>
        <translation>Mit diesen Regeln</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>Beleg</translation>
    </message>
    <message>
        <source>The preview cannot be made: %1</source>
        <translation>Die Vorschau kann nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>flaky</source>
        <translation>instabil</translation>
    </message>
    <message>
        <source>not flaky</source>
        <translation>nicht instabil</translation>
    </message>
    <message>
        <source>newly flaky</source>
        <translation>neu instabil</translation>
    </message>
    <message>
        <source>no longer flaky</source>
        <translation>nicht mehr instabil</translation>
    </message>
    <message numerus="yes">
        <source>In %1: these rules would mark %n case(s) flaky</source>
        <translation>
            <numerusform>In %1: Diese Regeln würden %n Fall als instabil markieren</numerusform>
            <numerusform>In %1: Diese Regeln würden %n Fälle als instabil markieren</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%n newly</source>
        <translation>
            <numerusform> (%n neu</numerusform>
            <numerusform> (%n neu</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n no longer).</source>
        <translation>
            <numerusform>, %n nicht mehr).</numerusform>
            <numerusform>, %n nicht mehr).</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a run first to preview the rules on its source.</source>
        <translation>Wählen Sie zuerst einen Lauf, um die Regeln an seiner Quelle zu erproben.</translation>
    </message>
    <message>
        <source>Judging the cases of %1…</source>
        <translation>Die Fälle von %1 werden beurteilt…</translation>
    </message>
</context>
<context>
    <name>opsdeck::GateSettingDialog</name>
    <message>
        <source>Vulnerability Gate of the Workspace</source>
        <translation>Schwachstellen-Sperre des Arbeitsbereichs</translation>
    </message>
    <message>
        <source>Vulnerability Gate of Project %1</source>
        <translation>Schwachstellen-Sperre von Projekt %1</translation>
    </message>
    <message>
        <source>Nothing: no severity blocks</source>
        <translation>Nichts: Kein Schweregrad sperrt</translation>
    </message>
    <message>
        <source>%1 and above</source>
        <translation>%1 und höher</translation>
    </message>
    <message>
        <source>Block images that were &amp;never scanned</source>
        <translation>Images sperren, die &amp;nie gescannt wurden</translation>
    </message>
    <message>
        <source>Why the gate changes: kept with it and in the audit log</source>
        <translation>Warum sich die Sperre ändert: wird mit ihr und im Audit-Log gespeichert</translation>
    </message>
    <message>
        <source>&amp;Block findings at:</source>
        <translation>Befunde sperren &amp;ab:</translation>
    </message>
    <message>
        <source>&amp;Comment:</source>
        <translation>&amp;Kommentar:</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Wo</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Why it would be blocked</source>
        <translation>Warum es gesperrt würde</translation>
    </message>
    <message>
        <source>What this would block cannot be read: %1</source>
        <translation>Was dies sperren würde, kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Nothing that runs now, was deployed in the last 30 days or is on the allowlist would be newly blocked.</source>
        <translation>Nichts, was jetzt läuft, in den letzten 30 Tagen bereitgestellt wurde oder auf der Freigabeliste steht, würde neu gesperrt.</translation>
    </message>
    <message>
        <source>&lt;b&gt;This would newly block %1&lt;/b&gt; (running containers are not stopped; their next deploy is refused):</source>
        <translation>&lt;b&gt;Dies würde %1 neu sperren&lt;/b&gt; (laufende Container werden nicht gestoppt; ihr nächstes Deploy wird abgelehnt):</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n Element</numerusform>
            <numerusform>%n Elemente</numerusform>
        </translation>
    </message>
    <message>
        <source>Not stricter than the setting in force: nothing is newly blocked.</source>
        <translation>Nicht strenger als die geltende Einstellung: Nichts wird neu gesperrt.</translation>
    </message>
    <message>
        <source>Looking for what this would block…</source>
        <translation>Es wird gesucht, was dies sperren würde…</translation>
    </message>
    <message>
        <source>Choose a threshold or the never-scanned rule that differs from the one in force.</source>
        <translation>Wählen Sie eine Schwelle oder eine Nie-gescannt-Regel, die von der geltenden abweicht.</translation>
    </message>
    <message>
        <source>Say why the gate changes: the comment is kept with it and in the audit log.</source>
        <translation>Sagen Sie, warum sich die Sperre ändert: Der Kommentar wird mit ihr und im Audit-Log gespeichert.</translation>
    </message>
    <message>
        <source>&amp;Save and Block</source>
        <translation>&amp;Speichern und sperren</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
</context>
<context>
    <name>opsdeck::GateSettingsModel</name>
    <message>
        <source>Scope</source>
        <translation>Geltung</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Schwelle</translation>
    </message>
    <message>
        <source>Never scanned</source>
        <translation>Nie gescannt</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>In Kraft</translation>
    </message>
    <message>
        <source>Changed by</source>
        <translation>Geändert von</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>Workspace (every project)</source>
        <translation>Arbeitsbereich (jedes Projekt)</translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>%1 and above</source>
        <translation>%1 und höher</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>gesperrt</translation>
    </message>
    <message>
        <source>let through</source>
        <translation>durchgelassen</translation>
    </message>
</context>
<context>
    <name>opsdeck::GateTab</name>
    <message>
        <source>C&amp;hange Gate…</source>
        <translation>Sperre än&amp;dern…</translation>
    </message>
    <message>
        <source>Show e&amp;xpired</source>
        <translation>A&amp;bgelaufene anzeigen</translation>
    </message>
    <message>
        <source>&amp;Grant Exception…</source>
        <translation>Ausnahme &amp;gewähren…</translation>
    </message>
    <message>
        <source>Re&amp;voke Exception…</source>
        <translation>Ausnahme &amp;widerrufen…</translation>
    </message>
    <message>
        <source>Deploys and &lt;b&gt;opsdeck images check&lt;/b&gt; refuse images whose scan shows a finding at the threshold or above, unless exceptions cover every such finding. A project&apos;s setting can only make its gate stricter than the workspace&apos;s.</source>
        <translation>Deploys und &lt;b&gt;opsdeck images check&lt;/b&gt; lehnen Images ab, deren Scan einen Befund auf oder über der Schwelle zeigt, außer Ausnahmen decken jeden solchen Befund ab. Die Einstellung eines Projekts kann seine Sperre nur strenger machen als die des Arbeitsbereichs.</translation>
    </message>
    <message>
        <source>&lt;b&gt;CVE exceptions&lt;/b&gt;: a finding let through for an image or a project until the exception expires.</source>
        <translation>&lt;b&gt;CVE-Ausnahmen&lt;/b&gt;: ein Befund, der für ein Image oder ein Projekt durchgelassen wird, bis die Ausnahme abläuft.</translation>
    </message>
    <message>
        <source>No workspace is open: the gate cannot change here.</source>
        <translation>Kein Arbeitsbereich ist geöffnet: Die Sperre kann hier nicht geändert werden.</translation>
    </message>
    <message>
        <source>Revoke the Exception for %1</source>
        <translation>Ausnahme für %1 widerrufen</translation>
    </message>
    <message>
        <source>Why it ends now (kept in the audit log); images with %1 are blocked again where the gate applies:</source>
        <translation>Warum sie jetzt endet (wird im Audit-Log gespeichert); Images mit %1 werden dort wieder gesperrt, wo die Sperre gilt:</translation>
    </message>
</context>
<context>
    <name>opsdeck::GitClone</name>
    <message>
        <source>Receiving objects: %1 of %2</source>
        <translation>Objekte werden empfangen: %1 von %2</translation>
    </message>
    <message>
        <source>Checking out files: %1 of %2</source>
        <translation>Dateien werden ausgecheckt: %1 von %2</translation>
    </message>
    <message>
        <source>%1 exists and is not empty: nothing was cloned.</source>
        <translation>%1 existiert und ist nicht leer: Es wurde nichts geklont.</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Cloning %1 failed: %2</source>
        <translation>Klonen von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Asking %1 for its branches: cancelled</source>
        <translation>%1 wird nach seinen Branches gefragt: abgebrochen</translation>
    </message>
    <message>
        <source>%1 is not a repository address git can use: %2</source>
        <translation>%1 ist keine Repository-Adresse, die git verwenden kann: %2</translation>
    </message>
    <message>
        <source>Asking %1 for its branches failed: %2</source>
        <translation>%1 nach seinen Branches zu fragen ist fehlgeschlagen: %2</translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubAnswers</name>
    <message>
        <source>GitHub&apos;s answer lacks a valid &quot;%1&quot; (%2 expected).</source>
        <translation>Der Antwort von GitHub fehlt ein gültiges „%1“ (%2 erwartet).</translation>
    </message>
    <message>
        <source>GitHub sent a label without a name.</source>
        <translation>GitHub hat ein Label ohne Namen gesendet.</translation>
    </message>
    <message>
        <source>GitHub&apos;s answer</source>
        <translation>Antwort von GitHub</translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubApp</name>
    <message>
        <source>The GitHub App ID is empty.</source>
        <translation>Die GitHub-App-ID ist leer.</translation>
    </message>
    <message>
        <source>The private key is not a PEM private key (%1).</source>
        <translation>Der private Schlüssel ist kein privater PEM-Schlüssel (%1).</translation>
    </message>
    <message>
        <source>The private key must be an RSA key.</source>
        <translation>Der private Schlüssel muss ein RSA-Schlüssel sein.</translation>
    </message>
    <message>
        <source>Signing the token failed: %1</source>
        <translation>Das Signieren des Tokens ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>The GitHub App private key: %1</source>
        <translation>Der private Schlüssel der GitHub App: %1</translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubLinkDialog</name>
    <message>
        <source>Link Your GitHub Login</source>
        <translation>Ihren GitHub-Login verknüpfen</translation>
    </message>
    <message>
        <source>GitHub shows who you are to this Opsdeck through its device flow: you enter a code at GitHub, and your GitHub login is linked to %1 in the workspace.</source>
        <translation>GitHub zeigt diesem Opsdeck über seinen Device Flow, wer Sie sind: Sie geben einen Code bei GitHub ein, und Ihr GitHub-Login wird im Arbeitsbereich mit %1 verknüpft.</translation>
    </message>
    <message>
        <source>&amp;Through:</source>
        <translation>Ü&amp;ber:</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>Code:</translation>
    </message>
    <message>
        <source>Enter it at:</source>
        <translation>Eingeben unter:</translation>
    </message>
    <message>
        <source>&amp;Get a Code</source>
        <translation>&amp;Code anfordern</translation>
    </message>
    <message>
        <source>No GitHub connection has an OAuth client ID: add one (an OAuth app with the device flow enabled) in File › Connections….</source>
        <translation>Keine GitHub-Verbindung hat eine OAuth-Client-ID: Fügen Sie eine hinzu (eine OAuth-App mit aktiviertem Device Flow) unter Datei › Verbindungen….</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for you to enter the code at GitHub (it is valid for %n minute(s))…</source>
        <translation>
            <numerusform>Warten, bis Sie den Code bei GitHub eingeben (er gilt %n Minute)…</numerusform>
            <numerusform>Warten, bis Sie den Code bei GitHub eingeben (er gilt %n Minuten)…</numerusform>
        </translation>
    </message>
    <message>
        <source>GitHub says you are %1; recording it in the workspace…</source>
        <translation>GitHub sagt, Sie sind %1; wird im Arbeitsbereich festgehalten…</translation>
    </message>
    <message>
        <source>Linked: the workspace knows your GitHub login now.</source>
        <translation>Verknüpft: Der Arbeitsbereich kennt jetzt Ihren GitHub-Login.</translation>
    </message>
    <message>
        <source>Asking GitHub for a code…</source>
        <translation>GitHub wird nach einem Code gefragt…</translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubRepository</name>
    <message>
        <source>GitHub sent a repository without a valid &quot;%1&quot; (string expected).</source>
        <translation>GitHub hat ein Repository ohne gültiges „%1“ gesendet (Zeichenkette erwartet).</translation>
    </message>
    <message>
        <source>GitHub gave the clone address &quot;%1&quot;, which is not an %2 URL: not cloned.</source>
        <translation>GitHub hat die Klonadresse „%1“ angegeben, die keine %2-URL ist: nicht geklont.</translation>
    </message>
    <message>
        <source>GitHub gave the clone address &quot;%1&quot; on %2, which is not the GitHub of this connection (%3): not cloned, so the token is not sent there.</source>
        <translation>GitHub hat die Klonadresse „%1“ auf %2 angegeben, die nicht das GitHub dieser Verbindung ist (%3): nicht geklont, damit das Token nicht dorthin geht.</translation>
    </message>
    <message>
        <source>GitHub gave a clone address with credentials in it: not cloned.</source>
        <translation>GitHub hat eine Klonadresse mit Zugangsdaten darin angegeben: nicht geklont.</translation>
    </message>
    <message>
        <source>GitHub&apos;s repository answer</source>
        <translation>Repository-Antwort von GitHub</translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubRunStore</name>
    <message>
        <source>Recording artifact %1</source>
        <translation>Artefakt %1 wird festgehalten</translation>
    </message>
    <message>
        <source>Reading the GitHub test sources</source>
        <translation>GitHub-Testquellen werden gelesen</translation>
    </message>
    <message>
        <source>Reading test source %1</source>
        <translation>Testquelle %1 wird gelesen</translation>
    </message>
    <message>
        <source>There is no GitHub test source %1 (removed meanwhile?).</source>
        <translation>Es gibt keine GitHub-Testquelle %1 (inzwischen entfernt?).</translation>
    </message>
    <message>
        <source>Choose the GitHub connection the repository is read with.</source>
        <translation>Wählen Sie die GitHub-Verbindung, mit der das Repository gelesen wird.</translation>
    </message>
    <message>
        <source>Saving test source %1</source>
        <translation>Testquelle %1 wird gespeichert</translation>
    </message>
    <message>
        <source>Recording workflow run %1</source>
        <translation>Workflow-Lauf %1 wird festgehalten</translation>
    </message>
    <message>
        <source>Reading the workflow runs to look at</source>
        <translation>Zu betrachtende Workflow-Läufe werden gelesen</translation>
    </message>
    <message>
        <source>Reading the artifacts seen</source>
        <translation>Gesehene Artefakte werden gelesen</translation>
    </message>
    <message numerus="yes">
        <source>The artifact holds %n file(s), none of them XML.</source>
        <translation>
            <numerusform>Das Artefakt enthält %n Datei, keine davon XML.</numerusform>
            <numerusform>Das Artefakt enthält %n Dateien, keine davon XML.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubService</name>
    <message>
        <source>%1 has no OAuth client ID: add the client ID of an OAuth app with the device flow enabled to the connection first.</source>
        <translation>%1 hat keine OAuth-Client-ID: Fügen Sie der Verbindung zuerst die Client-ID einer OAuth-App mit aktiviertem Device Flow hinzu.</translation>
    </message>
    <message>
        <source>Asking GitHub for a device code</source>
        <translation>GitHub wird nach einem Gerätecode gefragt</translation>
    </message>
    <message>
        <source>The code expired before it was entered: start again for a new one.</source>
        <translation>Der Code ist abgelaufen, bevor er eingegeben wurde: Beginnen Sie erneut, um einen neuen zu erhalten.</translation>
    </message>
    <message>
        <source>Asking GitHub whether the code was entered</source>
        <translation>GitHub wird gefragt, ob der Code eingegeben wurde</translation>
    </message>
    <message>
        <source>Asking GitHub who signed in</source>
        <translation>GitHub wird gefragt, wer sich angemeldet hat</translation>
    </message>
    <message>
        <source>GitHub&apos;s answer to GET /user names no login.</source>
        <translation>Die Antwort von GitHub auf GET /user nennt keinen Login.</translation>
    </message>
    <message>
        <source>Signed in to GitHub as %1.</source>
        <translation>Bei GitHub angemeldet als %1.</translation>
    </message>
    <message>
        <source>Cancelled: nothing was linked.</source>
        <translation>Abgebrochen: Es wurde nichts verknüpft.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; or &quot;%2&quot; is not a GitHub organization or login.</source>
        <translation>„%1“ oder „%2“ ist keine GitHub-Organisation und kein Login.</translation>
    </message>
    <message>
        <source>Removing %1 from the organization %2</source>
        <translation>%1 wird aus der Organisation %2 entfernt</translation>
    </message>
    <message>
        <source>%1 was not a member of %2.</source>
        <translation>%1 war kein Mitglied von %2.</translation>
    </message>
    <message>
        <source>Runner %1 has no known organization or repository (&quot;%2&quot;).</source>
        <translation>Runner %1 hat keine bekannte Organisation und kein Repository („%2“).</translation>
    </message>
    <message>
        <source>Removing runner %1</source>
        <translation>Runner %1 wird entfernt</translation>
    </message>
    <message>
        <source>Removing runners needs a comment.</source>
        <translation>Das Entfernen von Runnern braucht einen Kommentar.</translation>
    </message>
    <message>
        <source>Not yours: runner %1 was provisioned by %2. %3</source>
        <translation>Nicht Ihrer: Runner %1 wurde von %2 bereitgestellt. %3</translation>
    </message>
    <message>
        <source>Refused by the workspace&apos;s permissions: %1</source>
        <translation>Von den Berechtigungen des Arbeitsbereichs abgelehnt: %1</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an organization or repository of the connection %2.</source>
        <translation>„%1“ ist keine Organisation und kein Repository der Verbindung %2.</translation>
    </message>
    <message>
        <source>Refused by the label policy: %1</source>
        <translation>Von der Label-Richtlinie abgelehnt: %1</translation>
    </message>
    <message>
        <source>Creating the just-in-time runner %1</source>
        <translation>Just-in-time-Runner %1 wird angelegt</translation>
    </message>
    <message>
        <source>Requesting a registration token for %1</source>
        <translation>Registrierungs-Token für %1 wird angefordert</translation>
    </message>
    <message>
        <source>Runner %1 is not in the cache (removed?).</source>
        <translation>Runner %1 ist nicht im Cache (entfernt?).</translation>
    </message>
    <message>
        <source>Opsdeck did not provision %1: there are no labels to go back to.</source>
        <translation>Opsdeck hat %1 nicht bereitgestellt: Es gibt keine Labels, zu denen zurückgekehrt werden könnte.</translation>
    </message>
    <message>
        <source>Updating the runner&apos;s labels</source>
        <translation>Labels des Runners werden aktualisiert</translation>
    </message>
    <message>
        <source>The provisioned labels no longer meet the label policy: %1</source>
        <translation>Die bereitgestellten Labels erfüllen die Label-Richtlinie nicht mehr: %1</translation>
    </message>
    <message>
        <source>Setting the labels of runner %1</source>
        <translation>Labels von Runner %1 werden gesetzt</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>Demodaten</translation>
    </message>
    <message>
        <source>Listing the runners of %1</source>
        <translation>Runner von %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>%1 runners (%2 new, %3 removed)</source>
        <translation>%1 Runner (%2 neu, %3 entfernt)</translation>
    </message>
    <message>
        <source>Could not remove drifted runners: %1</source>
        <translation>Abweichende Runner konnten nicht entfernt werden: %1</translation>
    </message>
    <message>
        <source>Drifted but busy: kept</source>
        <translation>Abweichend, aber beschäftigt: behalten</translation>
    </message>
    <message>
        <source>Drifted from the label policy: deleted by sync</source>
        <translation>Von der Label-Richtlinie abgewichen: durch Synchronisierung gelöscht</translation>
    </message>
    <message>
        <source>Choose a GitHub connection for the repository.</source>
        <translation>Wählen Sie eine GitHub-Verbindung für das Repository.</translation>
    </message>
    <message>
        <source>%1 reads %2.</source>
        <translation>%1 liest %2.</translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation>Entfernt.</translation>
    </message>
    <message>
        <source>%1 has no GitHub connection any more; choose one in its settings.</source>
        <translation>%1 hat keine GitHub-Verbindung mehr; wählen Sie eine in seinen Einstellungen.</translation>
    </message>
    <message>
        <source>Listing the workflow runs of %1</source>
        <translation>Workflow-Läufe von %1 werden aufgelistet</translation>
    </message>
    <message numerus="yes">
        <source>%n test run(s) imported from %1</source>
        <translation>
            <numerusform>%n Testlauf aus %1 importiert</numerusform>
            <numerusform>%n Testläufe aus %1 importiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Listing the artifacts of workflow run %1 #%2</source>
        <translation>Artefakte von Workflow-Lauf %1 #%2 werden aufgelistet</translation>
    </message>
    <message>
        <source>The name does not match the pattern %1.</source>
        <translation>Der Name passt nicht zum Muster %1.</translation>
    </message>
    <message>
        <source>GitHub no longer keeps this artifact.</source>
        <translation>GitHub bewahrt dieses Artefakt nicht mehr auf.</translation>
    </message>
    <message>
        <source>The artifact is %1 MiB; Opsdeck reads artifacts of up to %2 MiB.</source>
        <translation>Das Artefakt hat %1 MiB; Opsdeck liest Artefakte bis %2 MiB.</translation>
    </message>
    <message>
        <source>Reading %1 of %2 #%3</source>
        <translation>%1 von %2 #%3 wird gelesen</translation>
    </message>
    <message>
        <source>Asking GitHub for artifact %1</source>
        <translation>GitHub wird nach Artefakt %1 gefragt</translation>
    </message>
    <message>
        <source>GitHub answered 410 Gone: the artifact expired.</source>
        <translation>GitHub hat 410 Gone geantwortet: Das Artefakt ist abgelaufen.</translation>
    </message>
    <message>
        <source>GitHub answered the download of %1 with %2 and no usable Location (a redirect to the artifact&apos;s storage was expected).</source>
        <translation>GitHub hat den Download von %1 mit %2 und ohne verwendbare Location beantwortet (erwartet war eine Weiterleitung zum Speicher des Artefakts).</translation>
    </message>
    <message>
        <source>No folder for downloads: %1</source>
        <translation>Kein Ordner für Downloads: %1</translation>
    </message>
    <message>
        <source>Downloading artifact %1</source>
        <translation>Artefakt %1 wird heruntergeladen</translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubSourceForm</name>
    <message>
        <source>GitHub Test Source</source>
        <translation>GitHub-Testquelle</translation>
    </message>
    <message>
        <source>api (GitHub)</source>
        <translation>api (GitHub)</translation>
    </message>
    <message>
        <source>owner/name</source>
        <translation>owner/name</translation>
    </message>
    <message>
        <source>Which artifacts hold the test results, as a wildcard: junit-*, test-results, *.</source>
        <translation>Welche Artefakte die Testergebnisse enthalten, als Platzhaltermuster: junit-*, test-results, *.</translation>
    </message>
    <message>
        <source> workflow runs</source>
        <translation> Workflow-Läufe</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation>&amp;Verbindung:</translation>
    </message>
    <message>
        <source>&amp;Repository:</source>
        <translation>&amp;Repository:</translation>
    </message>
    <message>
        <source>&amp;Artifacts:</source>
        <translation>&amp;Artefakte:</translation>
    </message>
    <message>
        <source>&amp;First sync reads:</source>
        <translation>&amp;Erste Synchronisierung liest:</translation>
    </message>
    <message>
        <source>The completed workflow runs of the repository are read, and the JUnit XML files in their artifacts imported as test runs: one run per artifact, each artifact once.</source>
        <translation>Die abgeschlossenen Workflow-Läufe des Repositorys werden gelesen und die JUnit-XML-Dateien in ihren Artefakten als Testläufe importiert: ein Lauf je Artefakt, jedes Artefakt einmal.</translation>
    </message>
    <message>
        <source>Add a GitHub connection first: its token reads the workflow runs.</source>
        <translation>Fügen Sie zuerst eine GitHub-Verbindung hinzu: Ihr Token liest die Workflow-Läufe.</translation>
    </message>
    <message>
        <source>Name the source; the Test runs pane lists its runs under that name.</source>
        <translation>Benennen Sie die Quelle; der Bereich Testläufe führt ihre Läufe unter diesem Namen.</translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubSourcesDialog</name>
    <message>
        <source>Test Runs from GitHub Actions</source>
        <translation>Testläufe aus GitHub Actions</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <source>&amp;Sync Now</source>
        <translation>Jetzt &amp;synchronisieren</translation>
    </message>
    <message>
        <source>Workflow runs of the selected source, and what became of their artifacts:</source>
        <translation>Workflow-Läufe der ausgewählten Quelle und was aus ihren Artefakten wurde:</translation>
    </message>
    <message>
        <source>No repository yet: Add… names one of a GitHub connection.</source>
        <translation>Noch kein Repository: Hinzufügen… nennt eines einer GitHub-Verbindung.</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>%1 wird gespeichert…</translation>
    </message>
    <message>
        <source>Remove %1?</source>
        <translation>%1 entfernen?</translation>
    </message>
    <message>
        <source>Remove the source %1 with all its test runs and their history from this desktop?</source>
        <translation>Die Quelle %1 mit allen ihren Testläufen und deren Verlauf von diesem Desktop entfernen?</translation>
    </message>
    <message>
        <source>GitHub keeps the artifacts; adding the source again reads those it still keeps.</source>
        <translation>GitHub bewahrt die Artefakte auf; wird die Quelle erneut hinzugefügt, werden die noch vorhandenen gelesen.</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Wird synchronisiert…</translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubSourcesModel</name>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Repository</translation>
    </message>
    <message>
        <source>Artifacts</source>
        <translation>Artefakte</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Workflow runs</source>
        <translation>Workflow-Läufe</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importiert</translation>
    </message>
    <message>
        <source>Last artifact</source>
        <translation>Letztes Artefakt</translation>
    </message>
    <message>
        <source>Reading the GitHub test sources</source>
        <translation>GitHub-Testquellen werden gelesen</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>(removed)</source>
        <translation>(entfernt)</translation>
    </message>
</context>
<context>
    <name>opsdeck::GoldenCase</name>
    <message>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <source>the pattern at %1 is not a regular expression (%2)</source>
        <translation>das Muster bei %1 ist kein regulärer Ausdruck (%2)</translation>
    </message>
    <message>
        <source>%1 at %2 is no matcher ($any, $any-string, $any-number, $regex:…); write $%1 for the literal text</source>
        <translation>%1 bei %2 ist kein Matcher ($any, $any-string, $any-number, $regex:…); schreiben Sie $%1 für den wörtlichen Text</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <source>not there</source>
        <translation>nicht vorhanden</translation>
    </message>
    <message>
        <source>%1 must be an object of names and texts</source>
        <translation>%1 muss ein Objekt aus Namen und Texten sein</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a header name</source>
        <translation>%1: „%2“ ist kein Header-Name</translation>
    </message>
    <message>
        <source>%1: the value of %2 must be text</source>
        <translation>%1: Der Wert von %2 muss Text sein</translation>
    </message>
    <message>
        <source>%1: the value of %2 holds a line break or is too long</source>
        <translation>%1: Der Wert von %2 enthält einen Zeilenumbruch oder ist zu lang</translation>
    </message>
    <message>
        <source>not JSON (%1 at byte %2)</source>
        <translation>kein JSON (%1 bei Byte %2)</translation>
    </message>
    <message>
        <source>a case is a JSON object with &quot;request&quot; and &quot;expect&quot;</source>
        <translation>ein Fall ist ein JSON-Objekt mit „request“ und „expect“</translation>
    </message>
    <message>
        <source>a case needs a &quot;request&quot; and an &quot;expect&quot; object</source>
        <translation>ein Fall braucht ein Objekt „request“ und ein Objekt „expect“</translation>
    </message>
    <message>
        <source>the method &quot;%1&quot; is not one of %2</source>
        <translation>die Methode „%1“ ist keine von %2</translation>
    </message>
    <message>
        <source>the path &quot;%1&quot; must start with / and hold no spaces, control characters or #</source>
        <translation>der Pfad „%1“ muss mit / beginnen und darf keine Leerzeichen, Steuerzeichen oder # enthalten</translation>
    </message>
    <message>
        <source>the request&apos;s headers</source>
        <translation>die Header der Anfrage</translation>
    </message>
    <message>
        <source>the expected status must be a whole number from 100 to 599</source>
        <translation>der erwartete Status muss eine ganze Zahl von 100 bis 599 sein</translation>
    </message>
    <message>
        <source>the expected headers</source>
        <translation>die erwarteten Header</translation>
    </message>
    <message>
        <source>the expected body: %1</source>
        <translation>der erwartete Body: %1</translation>
    </message>
    <message>
        <source>&quot;ignore&quot; must be a list of JSON Pointers</source>
        <translation>„ignore“ muss eine Liste von JSON-Pointern sein</translation>
    </message>
    <message>
        <source>&quot;%1&quot; in &quot;ignore&quot; is not a JSON Pointer (it starts with /)</source>
        <translation>„%1“ in „ignore“ ist kein JSON-Pointer (er beginnt mit /)</translation>
    </message>
    <message>
        <source>an empty body</source>
        <translation>ein leerer Body</translation>
    </message>
    <message>
        <source>a body that is not JSON: %1</source>
        <translation>ein Body, der kein JSON ist: %1</translation>
    </message>
    <message>
        <source>%1: expected %2, got %3</source>
        <translation>%1: erwartet %2, erhalten %3</translation>
    </message>
</context>
<context>
    <name>opsdeck::GoldenRunner</name>
    <message>
        <source>The suite&apos;s folder %1 does not exist.</source>
        <translation>Der Ordner %1 der Suite existiert nicht.</translation>
    </message>
    <message>
        <source>The suite&apos;s folder %1 holds no case file (*.json).</source>
        <translation>Der Ordner %1 der Suite enthält keine Falldatei (*.json).</translation>
    </message>
    <message>
        <source>%1 is larger than %2 MiB; a case file is a request and its answer.</source>
        <translation>%1 ist größer als %2 MiB; eine Falldatei ist eine Anfrage und ihre Antwort.</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Golden case %1</source>
        <translation>Golden-Fall %1</translation>
    </message>
    <message>
        <source>No answer.</source>
        <translation>Keine Antwort.</translation>
    </message>
</context>
<context>
    <name>opsdeck::GoldenSourcesModel</name>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Cases from</source>
        <translation>Fälle aus</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>At once</source>
        <translation>Gleichzeitig</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Last run</source>
        <translation>Letzter Lauf</translation>
    </message>
    <message>
        <source>Last result</source>
        <translation>Letztes Ergebnis</translation>
    </message>
    <message>
        <source>Reading the golden suites</source>
        <translation>Golden-Suiten werden gelesen</translation>
    </message>
    <message>
        <source>default branch</source>
        <translation>Standard-Branch</translation>
    </message>
    <message>
        <source>%1 of %2 passed</source>
        <translation>%1 von %2 bestanden</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
</context>
<context>
    <name>opsdeck::GoldenSuite</name>
    <message>
        <source>The base URL must be an http or https address with a host, such as http://127.0.0.1:8080 (got &quot;%1&quot;).</source>
        <translation>Die Basis-URL muss eine http- oder https-Adresse mit Host sein, etwa http://127.0.0.1:8080 (erhalten: „%1“).</translation>
    </message>
    <message>
        <source>The base URL takes no query, fragment or credentials; cases add their own.</source>
        <translation>Die Basis-URL nimmt keine Query, kein Fragment und keine Zugangsdaten; Fälle fügen ihre eigenen hinzu.</translation>
    </message>
    <message>
        <source>The repository must be an https, http, git or file URL (got &quot;%1&quot;).</source>
        <translation>Das Repository muss eine https-, http-, git- oder file-URL sein (erhalten: „%1“).</translation>
    </message>
    <message>
        <source>The repository URL must not carry credentials; Opsdeck keeps no secret in a suite&apos;s settings.</source>
        <translation>Die Repository-URL darf keine Zugangsdaten enthalten; Opsdeck speichert kein Geheimnis in den Einstellungen einer Suite.</translation>
    </message>
    <message>
        <source>The folder within the repository must be relative and stay inside it (got &quot;%1&quot;).</source>
        <translation>Der Ordner im Repository muss relativ sein und darin bleiben (erhalten: „%1“).</translation>
    </message>
    <message>
        <source>Choose the folder of the suite&apos;s case files (an absolute path).</source>
        <translation>Wählen Sie den Ordner der Falldateien der Suite (ein absoluter Pfad).</translation>
    </message>
    <message>
        <source>Run 1 to 32 cases at once (got %1).</source>
        <translation>1 bis 32 Fälle gleichzeitig ausführen (erhalten: %1).</translation>
    </message>
    <message>
        <source>A case may take 0.1 to 600 seconds (got %1 ms).</source>
        <translation>Ein Fall darf 0,1 bis 600 Sekunden dauern (erhalten: %1 ms).</translation>
    </message>
    <message>
        <source>No response: %1
</source>
        <translation>Keine Antwort: %1
</translation>
    </message>
    <message>
        <source>%1: expected %2, got %3</source>
        <translation>%1: erwartet %2, erhalten %3</translation>
    </message>
</context>
<context>
    <name>opsdeck::GoldenSuiteForm</name>
    <message>
        <source>Golden Suite</source>
        <translation>Golden-Suite</translation>
    </message>
    <message>
        <source>/srv/qa/golden, or a folder within the repository</source>
        <translation>/srv/qa/golden oder ein Ordner im Repository</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>empty: the folder is on this desktop</source>
        <translation>leer: Der Ordner liegt auf diesem Desktop</translation>
    </message>
    <message>
        <source>the repository&apos;s default branch</source>
        <translation>der Standard-Branch des Repositorys</translation>
    </message>
    <message>
        <source> cases</source>
        <translation> Fälle</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Ordner:</translation>
    </message>
    <message>
        <source>Git &amp;repository:</source>
        <translation>Git-&amp;Repository:</translation>
    </message>
    <message>
        <source>B&amp;ranch:</source>
        <translation>B&amp;ranch:</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>&amp;Basis-URL:</translation>
    </message>
    <message>
        <source>&amp;At once:</source>
        <translation>&amp;Gleichzeitig:</translation>
    </message>
    <message>
        <source>&amp;Timeout per case:</source>
        <translation>&amp;Zeitlimit je Fall:</translation>
    </message>
    <message>
        <source>Each *.json file in the folder is a case: a request and the response it must get (see the README&apos;s golden case format).</source>
        <translation>Jede *.json-Datei im Ordner ist ein Fall: eine Anfrage und die Antwort, die sie bekommen muss (siehe das Golden-Fall-Format im README).</translation>
    </message>
    <message>
        <source>Folder of the Suite&apos;s Cases</source>
        <translation>Ordner der Fälle der Suite</translation>
    </message>
    <message>
        <source>Name the suite; the Test runs pane lists its runs under that name.</source>
        <translation>Benennen Sie die Suite; der Bereich Testläufe führt ihre Läufe unter diesem Namen.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <source>The mock server this suite runs against: a run says so when the mock was down at its last health check.</source>
        <translation>Der Mock-Server, gegen den diese Suite läuft: Ein Lauf vermerkt es, wenn der Mock bei seiner letzten Zustandsprüfung nicht erreichbar war.</translation>
    </message>
    <message>
        <source>&amp;Mock:</source>
        <translation>&amp;Mock:</translation>
    </message>
</context>
<context>
    <name>opsdeck::GoldenSuitesDialog</name>
    <message>
        <source>Golden Suites</source>
        <translation>Golden-Suiten</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <source>R&amp;un Now</source>
        <translation>Jetzt &amp;ausführen</translation>
    </message>
    <message>
        <source>Cancel Run</source>
        <translation>Lauf abbrechen</translation>
    </message>
    <message>
        <source>No suite yet: Add… names a folder of case files and the URL to run them against.</source>
        <translation>Noch keine Suite: Hinzufügen… nennt einen Ordner mit Falldateien und die URL, gegen die sie laufen.</translation>
    </message>
    <message>
        <source>%1 of %2 cases answered…</source>
        <translation>%1 von %2 Fällen beantwortet…</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>%1 wird gespeichert…</translation>
    </message>
    <message>
        <source>Remove %1?</source>
        <translation>%1 entfernen?</translation>
    </message>
    <message>
        <source>Remove the suite %1 with all its runs from this desktop?</source>
        <translation>Die Suite %1 mit allen ihren Läufen von diesem Desktop entfernen?</translation>
    </message>
    <message>
        <source>The case files stay where they are.</source>
        <translation>Die Falldateien bleiben, wo sie sind.</translation>
    </message>
    <message>
        <source>Reading the suite&apos;s cases…</source>
        <translation>Die Fälle der Suite werden gelesen…</translation>
    </message>
</context>
<context>
    <name>opsdeck::GrantChange</name>
    <message>
        <source>Which grant? A grant is revoked by its number.</source>
        <translation>Welche Berechtigung? Eine Berechtigung wird über ihre Nummer entzogen.</translation>
    </message>
    <message>
        <source>Say why grant %1 is revoked: the comment goes into the audit log.</source>
        <translation>Sagen Sie, warum Berechtigung %1 entzogen wird: Der Kommentar kommt ins Audit-Log.</translation>
    </message>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation>Der Kommentar ist länger als 2.000 Zeichen.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a role: user, admin or superuser.</source>
        <translation>„%1“ ist keine Rolle: user, admin oder superuser.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a workspace login: lower-case letters, digits and &apos;_&apos;, starting with a letter or &apos;_&apos;, at most 63.</source>
        <translation>„%1“ ist kein Login des Arbeitsbereichs: Kleinbuchstaben, Ziffern und &apos;_&apos;, beginnend mit Buchstabe oder &apos;_&apos;, höchstens 63.</translation>
    </message>
    <message>
        <source>A grant is given to a role or to a person, not to &quot;%1&quot;.</source>
        <translation>Eine Berechtigung wird einer Rolle oder einer Person gegeben, nicht „%1“.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an action a grant can name: system.verb (runner.provision), system.* (container.*) or *, where the system is one of %2.</source>
        <translation>„%1“ ist keine Aktion, die eine Berechtigung nennen kann: system.verb (runner.provision), system.* (container.*) oder *, wobei das System eines von %2 ist.</translation>
    </message>
    <message>
        <source>The scope is longer than 500 characters.</source>
        <translation>Der Geltungsbereich ist länger als 500 Zeichen.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; in the scope is not a facet: key:value, such as connection:gh-prod, mode:jit or project:shop.</source>
        <translation>„%1“ im Geltungsbereich ist keine Facette: key:value, etwa connection:gh-prod, mode:jit oder project:shop.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a facet a scope can name: %2.</source>
        <translation>„%1“ ist keine Facette, die ein Geltungsbereich nennen kann: %2.</translation>
    </message>
    <message>
        <source>The scope names %1 twice.</source>
        <translation>Der Geltungsbereich nennt %1 zweimal.</translation>
    </message>
    <message>
        <source>mode:%1 is not a provisioning mode: jit or registration.</source>
        <translation>mode:%1 ist keine Bereitstellungsart: jit oder registration.</translation>
    </message>
    <message>
        <source>role:%1 is not a role: user, admin or superuser.</source>
        <translation>role:%1 ist keine Rolle: user, admin oder superuser.</translation>
    </message>
    <message>
        <source>%1: %2 is deactivated.</source>
        <translation>%1: %2 ist deaktiviert.</translation>
    </message>
    <message>
        <source>%1: %2 may not manage people, so may not change grants (%3).</source>
        <translation>%1: %2 darf keine Personen verwalten und daher keine Berechtigungen ändern (%3).</translation>
    </message>
    <message>
        <source>role user</source>
        <translation>Rolle user</translation>
    </message>
    <message>
        <source>%1: only a superuser grants or revokes %2.</source>
        <translation>%1: Nur ein Superuser gewährt oder entzieht %2.</translation>
    </message>
    <message>
        <source>%1: only a superuser changes the grants of superusers.</source>
        <translation>%1: Nur ein Superuser ändert die Berechtigungen von Superusern.</translation>
    </message>
    <message>
        <source>%1: only a superuser changes what every admin may do.</source>
        <translation>%1: Nur ein Superuser ändert, was jeder Admin darf.</translation>
    </message>
    <message>
        <source>%1: %2 does not hold %3 on %4, and nobody grants what they do not hold.</source>
        <translation>%1: %2 hat %3 auf %4 nicht, und niemand gewährt, was er nicht selbst hat.</translation>
    </message>
    <message>
        <source>Revoke %1</source>
        <translation>%1 entziehen</translation>
    </message>
    <message>
        <source>role %1</source>
        <translation>Rolle %1</translation>
    </message>
    <message>
        <source>person %1</source>
        <translation>Person %1</translation>
    </message>
    <message>
        <source>everywhere</source>
        <translation>überall</translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>auf %1</translation>
    </message>
    <message>
        <source>Allow %1 %2 to %3</source>
        <translation>%1 %2 erlauben: %3</translation>
    </message>
    <message>
        <source>Deny %1 %2 to %3</source>
        <translation>%1 %2 verweigern: %3</translation>
    </message>
</context>
<context>
    <name>opsdeck::GrantChanges</name>
    <message>
        <source>There is no grant %1 in this workspace (revoked already?).</source>
        <translation>In diesem Arbeitsbereich gibt es keine Berechtigung %1 (bereits entzogen?).</translation>
    </message>
    <message>
        <source>%1: %2 is not a person of this workspace.</source>
        <translation>%1: %2 ist keine Person dieses Arbeitsbereichs.</translation>
    </message>
    <message>
        <source>%1: the same grant is there already.</source>
        <translation>%1: Dieselbe Berechtigung besteht bereits.</translation>
    </message>
</context>
<context>
    <name>opsdeck::GrantDialog</name>
    <message>
        <source>Grant a Permission</source>
        <translation>Berechtigung gewähren</translation>
    </message>
    <message>
        <source>%1 only</source>
        <translation>Nur %1</translation>
    </message>
    <message>
        <source>Everyone with the role %1</source>
        <translation>Alle mit der Rolle %1</translation>
    </message>
    <message>
        <source>An action of the audit taxonomy (runner.provision), every action of a system (container.*), or * for everything</source>
        <translation>Eine Aktion der Audit-Taxonomie (runner.provision), jede Aktion eines Systems (container.*) oder * für alles</translation>
    </message>
    <message>
        <source>* (everywhere), or facets such as connection:gh-prod mode:jit</source>
        <translation>* (überall) oder Facetten wie connection:gh-prod mode:jit</translation>
    </message>
    <message>
        <source>What the action may be done on, as key:value facets separated by spaces; &apos;*&apos; in a value matches anything. Facets: %1.</source>
        <translation>Worauf die Aktion angewendet werden darf, als key:value-Facetten, durch Leerzeichen getrennt; &apos;*&apos; in einem Wert passt auf alles. Facetten: %1.</translation>
    </message>
    <message>
        <source>Allow</source>
        <translation>Erlauben</translation>
    </message>
    <message>
        <source>Deny (wins over any allow)</source>
        <translation>Verweigern (hat Vorrang vor jedem Erlauben)</translation>
    </message>
    <message>
        <source>optional: why, for the audit log</source>
        <translation>optional: warum, für das Audit-Log</translation>
    </message>
    <message>
        <source>&amp;For:</source>
        <translation>&amp;Für:</translation>
    </message>
    <message>
        <source>&amp;Action:</source>
        <translation>&amp;Aktion:</translation>
    </message>
    <message>
        <source>&amp;Scope:</source>
        <translation>&amp;Geltungsbereich:</translation>
    </message>
    <message>
        <source>&amp;Effect:</source>
        <translation>&amp;Wirkung:</translation>
    </message>
    <message>
        <source>&amp;Comment:</source>
        <translation>&amp;Kommentar:</translation>
    </message>
    <message>
        <source>&amp;Grant</source>
        <translation>&amp;Gewähren</translation>
    </message>
</context>
<context>
    <name>opsdeck::GrantsModel</name>
    <message>
        <source>Subject</source>
        <translation>Subjekt</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Geltungsbereich</translation>
    </message>
    <message>
        <source>Effect</source>
        <translation>Wirkung</translation>
    </message>
    <message>
        <source>Granted by</source>
        <translation>Gewährt von</translation>
    </message>
    <message>
        <source>allow</source>
        <translation>erlauben</translation>
    </message>
    <message>
        <source>deny</source>
        <translation>verweigern</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
</context>
<context>
    <name>opsdeck::GroupDialog</name>
    <message>
        <source>Team Group on %1</source>
        <translation>Team-Gruppe auf %1</translation>
    </message>
    <message>
        <source>Empty: in no group</source>
        <translation>Leer: in keiner Gruppe</translation>
    </message>
    <message>
        <source>&amp;Set Group</source>
        <translation>Gruppe &amp;festlegen</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>&amp;Team:</translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation>&amp;Gruppe:</translation>
    </message>
    <message>
        <source>A group&apos;s policies apply to its teams unless the team or the user sets the item themselves.</source>
        <translation>Die Richtlinien einer Gruppe gelten für ihre Teams, außer das Team oder der Benutzer legt den Punkt selbst fest.</translation>
    </message>
    <message>
        <source>Which team?</source>
        <translation>Welches Team?</translation>
    </message>
</context>
<context>
    <name>opsdeck::HostImage</name>
    <message>
        <source>The Docker engine&apos;s answer does not have the documented shape: %1.</source>
        <translation>Die Antwort der Docker-Engine hat nicht die dokumentierte Form: %1.</translation>
    </message>
    <message>
        <source>The Docker engine&apos;s image list</source>
        <translation>Die Image-Liste der Docker-Engine</translation>
    </message>
    <message>
        <source>an image has no &quot;Id&quot; of the form sha256:…</source>
        <translation>ein Image hat keine „Id“ der Form sha256:…</translation>
    </message>
    <message>
        <source>the image %1 has no valid &quot;Size&quot;</source>
        <translation>das Image %1 hat keine gültige „Size“</translation>
    </message>
    <message>
        <source>Writing the host&apos;s images</source>
        <translation>Images des Hosts werden geschrieben</translation>
    </message>
    <message>
        <source>The Docker engine&apos;s answer to the prune</source>
        <translation>Die Antwort der Docker-Engine auf die Bereinigung</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a list</source>
        <translation>„%1“ ist keine Liste</translation>
    </message>
    <message>
        <source>The Docker engine&apos;s answer to the removal</source>
        <translation>Die Antwort der Docker-Engine auf die Entfernung</translation>
    </message>
    <message>
        <source>dangling images</source>
        <translation>verwaiste Images</translation>
    </message>
    <message>
        <source>unused images</source>
        <translation>ungenutzte Images</translation>
    </message>
    <message>
        <source>stopped containers</source>
        <translation>gestoppte Container</translation>
    </message>
    <message>
        <source>unused volumes</source>
        <translation>ungenutzte Volumes</translation>
    </message>
    <message>
        <source>build cache</source>
        <translation>Build-Cache</translation>
    </message>
    <message>
        <source>Reading the host&apos;s images</source>
        <translation>Images des Hosts werden gelesen</translation>
    </message>
    <message>
        <source>Reading the host&apos;s containers</source>
        <translation>Container des Hosts werden gelesen</translation>
    </message>
    <message>
        <source>Reading the host&apos;s disk usage</source>
        <translation>Speichernutzung des Hosts wird gelesen</translation>
    </message>
    <message numerus="yes">
        <source>%n volume(s) no container mounts</source>
        <translation>
            <numerusform>%n Volume, das kein Container einbindet</numerusform>
            <numerusform>%n Volumes, die kein Container einbindet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n build cache record(s)</source>
        <translation>
            <numerusform>%n Build-Cache-Eintrag</numerusform>
            <numerusform>%n Build-Cache-Einträge</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::HostImagesModel</name>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Used by</source>
        <translation>Verwendet von</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>in use</source>
        <translation>in Gebrauch</translation>
    </message>
    <message>
        <source>dangling</source>
        <translation>verwaist</translation>
    </message>
    <message>
        <source>unused</source>
        <translation>ungenutzt</translation>
    </message>
</context>
<context>
    <name>opsdeck::HostPruneDialog</name>
    <message>
        <source>Prune a Docker Host</source>
        <translation>Docker-Host bereinigen</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>Remove:</source>
        <translation>Entfernen:</translation>
    </message>
    <message>
        <source>&amp;Prune</source>
        <translation>&amp;Bereinigen</translation>
    </message>
    <message>
        <source>What goes (from the last refresh; the engine decides at the moment itself):</source>
        <translation>Was wegkommt (Stand der letzten Aktualisierung; die Engine entscheidet selbst im Moment):</translation>
    </message>
    <message>
        <source>Nothing to remove, as of the last refresh.</source>
        <translation>Nichts zu entfernen, Stand der letzten Aktualisierung.</translation>
    </message>
    <message>
        <source>Choose what to remove.</source>
        <translation>Wählen Sie, was entfernt wird.</translation>
    </message>
    <message>
        <source>Frees about %1 (volumes and build cache as the engine last counted them).</source>
        <translation>Gibt etwa %1 frei (Volumes und Build-Cache, wie die Engine sie zuletzt gezählt hat).</translation>
    </message>
    <message>
        <source>Frees about %1.</source>
        <translation>Gibt etwa %1 frei.</translation>
    </message>
</context>
<context>
    <name>opsdeck::HttpClient</name>
    <message>
        <source>it expired on %1. The server&apos;s certificate must be renewed.</source>
        <translation>es ist am %1 abgelaufen. Das Zertifikat des Servers muss erneuert werden.</translation>
    </message>
    <message>
        <source>it is valid only from %1 (is this computer&apos;s clock right?).</source>
        <translation>es ist erst ab %1 gültig (geht die Uhr dieses Rechners richtig?).</translation>
    </message>
    <message>
        <source>it was issued for %1, not for this address. Use one of those names in the connection&apos;s endpoint.</source>
        <translation>es wurde für %1 ausgestellt, nicht für diese Adresse. Verwenden Sie einen dieser Namen im Endpunkt der Verbindung.</translation>
    </message>
    <message>
        <source>it is not signed by a certificate authority this computer trusts (%1). If the server uses a private CA, set its CA file on the connection.</source>
        <translation>es ist nicht von einer Zertifizierungsstelle signiert, der dieser Rechner vertraut (%1). Verwendet der Server eine private CA, legen Sie deren CA-Datei in der Verbindung fest.</translation>
    </message>
    <message>
        <source>The answer from %1 is not valid JSON (%2 at byte %3).</source>
        <translation>Die Antwort von %1 ist kein gültiges JSON (%2 bei Byte %3).</translation>
    </message>
    <message>
        <source>Cannot read the CA file %1: %2</source>
        <translation>Die CA-Datei %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The CA file %1 holds no PEM certificate.</source>
        <translation>Die CA-Datei %1 enthält kein PEM-Zertifikat.</translation>
    </message>
    <message>
        <source>%1: the API rate limit of %2 is used up until %3 UTC; Opsdeck sends no more requests until then.</source>
        <translation>%1: Das API-Ratenlimit von %2 ist bis %3 UTC aufgebraucht; Opsdeck sendet bis dahin keine Anfragen mehr.</translation>
    </message>
    <message>
        <source>%1 was cancelled.</source>
        <translation>%1 wurde abgebrochen.</translation>
    </message>
    <message>
        <source>%1: the answer from %2 is larger than the limit of %3 MB.</source>
        <translation>%1: Die Antwort von %2 überschreitet das Limit von %3 MB.</translation>
    </message>
    <message>
        <source>%1: %2 did not answer within %3 seconds.</source>
        <translation>%1: %2 hat nicht innerhalb von %3 Sekunden geantwortet.</translation>
    </message>
    <message>
        <source>%1: %2 redirected too often or to another site (%3).</source>
        <translation>%1: %2 hat zu oft oder auf eine andere Site weitergeleitet (%3).</translation>
    </message>
    <message>
        <source>%1: the TLS certificate of %2 was refused: %3</source>
        <translation>%1: Das TLS-Zertifikat von %2 wurde abgelehnt: %3</translation>
    </message>
    <message>
        <source>%1: %2 answered %3 %4</source>
        <translation>%1: %2 hat %3 %4 geantwortet</translation>
    </message>
    <message>
        <source> (check the connection&apos;s credentials)</source>
        <translation> (prüfen Sie die Zugangsdaten der Verbindung)</translation>
    </message>
    <message>
        <source>%1: the connection to %2 broke off during the answer (%3).</source>
        <translation>%1: Die Verbindung zu %2 ist während der Antwort abgebrochen (%3).</translation>
    </message>
    <message>
        <source>%1: cannot reach %2: %3.</source>
        <translation>%1: %2 ist nicht erreichbar: %3.</translation>
    </message>
    <message>
        <source>%1: %2 answered with %3 instead of JSON (a proxy or sign-in page in between?).</source>
        <translation>%1: %2 hat mit %3 statt mit JSON geantwortet (ein Proxy oder eine Anmeldeseite dazwischen?).</translation>
    </message>
    <message>
        <source>The request was cancelled.</source>
        <translation>Die Anfrage wurde abgebrochen.</translation>
    </message>
    <message>
        <source>The next page points to another server (%1).</source>
        <translation>Die nächste Seite zeigt auf einen anderen Server (%1).</translation>
    </message>
    <message>
        <source>%1: the answer from %2 cannot be saved to %3: %4</source>
        <translation>%1: Die Antwort von %2 kann nicht in %3 gespeichert werden: %4</translation>
    </message>
</context>
<context>
    <name>opsdeck::HttpResponseParser</name>
    <message>
        <source>The Docker engine sent a line longer than %1 bytes.</source>
        <translation>Die Docker-Engine hat eine Zeile länger als %1 Bytes gesendet.</translation>
    </message>
    <message>
        <source>The Docker engine sent an invalid Content-Length &quot;%1&quot;.</source>
        <translation>Die Docker-Engine hat eine ungültige Content-Length „%1“ gesendet.</translation>
    </message>
    <message>
        <source>The Docker engine did not answer with HTTP (got &quot;%1&quot;).</source>
        <translation>Die Docker-Engine hat nicht mit HTTP geantwortet (erhalten: „%1“).</translation>
    </message>
    <message>
        <source>The Docker engine sent an invalid status line.</source>
        <translation>Die Docker-Engine hat eine ungültige Statuszeile gesendet.</translation>
    </message>
    <message>
        <source>The Docker engine sent more than %1 bytes of headers.</source>
        <translation>Die Docker-Engine hat mehr als %1 Bytes an Headern gesendet.</translation>
    </message>
    <message>
        <source>The Docker engine sent a malformed header line.</source>
        <translation>Die Docker-Engine hat eine fehlerhafte Header-Zeile gesendet.</translation>
    </message>
    <message>
        <source>The Docker engine sent an invalid chunk size &quot;%1&quot;.</source>
        <translation>Die Docker-Engine hat eine ungültige Chunk-Größe „%1“ gesendet.</translation>
    </message>
    <message>
        <source>A chunk from the Docker engine did not end with CRLF.</source>
        <translation>Ein Chunk der Docker-Engine endete nicht mit CRLF.</translation>
    </message>
    <message>
        <source>The Docker engine closed the connection before the answer was complete.</source>
        <translation>Die Docker-Engine hat die Verbindung geschlossen, bevor die Antwort vollständig war.</translation>
    </message>
</context>
<context>
    <name>opsdeck::ImageChange</name>
    <message>
        <source>%1: nothing is chosen.</source>
        <translation>%1: Nichts ist ausgewählt.</translation>
    </message>
    <message>
        <source>Say why the image is needed: the reason is kept with it.</source>
        <translation>Sagen Sie, warum das Image gebraucht wird: Der Grund wird damit gespeichert.</translation>
    </message>
    <message>
        <source>Write a comment: it is kept with the decision.</source>
        <translation>Schreiben Sie einen Kommentar: Er wird mit der Entscheidung gespeichert.</translation>
    </message>
    <message>
        <source>The reason is longer than 2,000 characters.</source>
        <translation>Der Grund ist länger als 2.000 Zeichen.</translation>
    </message>
    <message>
        <source>The expiry (%1) is not in the future.</source>
        <translation>Der Ablauf (%1) liegt nicht in der Zukunft.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a threshold: Unknown, Negligible, Low, Medium, High or Critical.</source>
        <translation>„%1“ ist keine Schwelle: Unknown, Negligible, Low, Medium, High oder Critical.</translation>
    </message>
    <message>
        <source>Say why the gate changes: the comment is kept with it and in the audit log.</source>
        <translation>Sagen Sie, warum sich die Sperre ändert: Der Kommentar wird mit ihr und im Audit-Log gespeichert.</translation>
    </message>
    <message>
        <source>global</source>
        <translation>global</translation>
    </message>
    <message>
        <source>project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>allow %1 (%2)</source>
        <translation>%1 erlauben (%2)</translation>
    </message>
    <message>
        <source>revoke entry %1</source>
        <translation>Eintrag %1 widerrufen</translation>
    </message>
    <message>
        <source>request %1 (%2)</source>
        <translation>%1 anfragen (%2)</translation>
    </message>
    <message>
        <source>approve request %1</source>
        <translation>Anfrage %1 genehmigen</translation>
    </message>
    <message>
        <source>deny request %1</source>
        <translation>Anfrage %1 ablehnen</translation>
    </message>
    <message>
        <source>set the vulnerability gate (%1)</source>
        <translation>Schwachstellen-Sperre festlegen (%1)</translation>
    </message>
    <message>
        <source>grant an exception for %1 (%2)</source>
        <translation>Ausnahme für %1 gewähren (%2)</translation>
    </message>
    <message>
        <source>revoke exception %1</source>
        <translation>Ausnahme %1 widerrufen</translation>
    </message>
</context>
<context>
    <name>opsdeck::ImageChangeDialog</name>
    <message>
        <source>Allow an Image</source>
        <translation>Ein Image erlauben</translation>
    </message>
    <message>
        <source>Request an Image</source>
        <translation>Ein Image anfragen</translation>
    </message>
    <message>
        <source>Approve the Request</source>
        <translation>Anfrage genehmigen</translation>
    </message>
    <message>
        <source>Deny the Request</source>
        <translation>Anfrage ablehnen</translation>
    </message>
    <message>
        <source>registry.example.com/team/app:1.4</source>
        <translation>registry.example.com/team/app:1.4</translation>
    </message>
    <message>
        <source>nginx:1.27, nginx:1.27-*, registry.example.com/team/*, app@sha256:…</source>
        <translation>nginx:1.27, nginx:1.27-*, registry.example.com/team/*, app@sha256:…</translation>
    </message>
    <message>
        <source>&amp;Image:</source>
        <translation>&amp;Image:</translation>
    </message>
    <message>
        <source>&amp;Entry:</source>
        <translation>&amp;Eintrag:</translation>
    </message>
    <message>
        <source>Global (every project)</source>
        <translation>Global (jedes Projekt)</translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>&amp;Scope:</source>
        <translation>&amp;Geltung:</translation>
    </message>
    <message>
        <source>Kept with the decision and shown to whoever asked</source>
        <translation>Wird mit der Entscheidung gespeichert und dem Anfragenden gezeigt</translation>
    </message>
    <message>
        <source>Why it is needed: kept with the entry</source>
        <translation>Warum es gebraucht wird: wird mit dem Eintrag gespeichert</translation>
    </message>
    <message>
        <source>&amp;Comment:</source>
        <translation>&amp;Kommentar:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Grund:</translation>
    </message>
    <message>
        <source>E&amp;xpires on</source>
        <translation>Läuft a&amp;b am</translation>
    </message>
    <message>
        <source>&amp;Allow</source>
        <translation>&amp;Erlauben</translation>
    </message>
    <message>
        <source>&amp;Send Request</source>
        <translation>Anfrage &amp;senden</translation>
    </message>
    <message>
        <source>A&amp;pprove</source>
        <translation>&amp;Genehmigen</translation>
    </message>
    <message>
        <source>&amp;Deny</source>
        <translation>&amp;Ablehnen</translation>
    </message>
    <message>
        <source>Expiry date</source>
        <translation>Ablaufdatum</translation>
    </message>
</context>
<context>
    <name>opsdeck::ImagePolicy</name>
    <message>
        <source>The workspace keeps no image allowlist: not checked.</source>
        <translation>Der Arbeitsbereich führt keine Image-Freigabeliste: nicht geprüft.</translation>
    </message>
    <message>
        <source>The workspace keeps no image allowlist.</source>
        <translation>Der Arbeitsbereich führt keine Image-Freigabeliste.</translation>
    </message>
    <message>
        <source>%1: built locally, not checked</source>
        <translation>%1: lokal gebaut, nicht geprüft</translation>
    </message>
    <message>
        <source>%1: allowed. %2</source>
        <translation>%1: erlaubt. %2</translation>
    </message>
    <message>
        <source>%1: refused. %2</source>
        <translation>%1: abgelehnt. %2</translation>
    </message>
</context>
<context>
    <name>opsdeck::ImageRecords</name>
    <message>
        <source>Say why %1: the reason is kept with it.</source>
        <translation>Sagen Sie, warum %1: Der Grund wird damit gespeichert.</translation>
    </message>
    <message>
        <source>The reason is longer than 2,000 characters.</source>
        <translation>Der Grund ist länger als 2.000 Zeichen.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a project name: lower-case letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, at most 63.</source>
        <translation>„%1“ ist kein Projektname: Kleinbuchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; und &apos;-&apos;, höchstens 63.</translation>
    </message>
    <message>
        <source>Reading the projects</source>
        <translation>Projekte werden gelesen</translation>
    </message>
    <message>
        <source>There is no project %1 in this workspace.</source>
        <translation>In diesem Arbeitsbereich gibt es kein Projekt %1.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>A project needs a name.</source>
        <translation>Ein Projekt braucht einen Namen.</translation>
    </message>
    <message>
        <source>Saving the project %1</source>
        <translation>Projekt %1 wird gespeichert</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a project role: manager or member.</source>
        <translation>„%1“ ist keine Projektrolle: manager oder member.</translation>
    </message>
    <message>
        <source>Taking %1 out of project %2</source>
        <translation>%1 wird aus Projekt %2 genommen</translation>
    </message>
    <message>
        <source>Making %1 a %2 of project %3</source>
        <translation>%1 wird %2 von Projekt %3</translation>
    </message>
    <message>
        <source>%1 is allowed</source>
        <translation>%1 ist erlaubt</translation>
    </message>
    <message>
        <source>Allowing %1</source>
        <translation>%1 wird erlaubt</translation>
    </message>
    <message>
        <source>Allowing %1 in project %2</source>
        <translation>%1 wird in Projekt %2 erlaubt</translation>
    </message>
    <message>
        <source>%1: it is on the allowlist already.</source>
        <translation>%1: Es steht bereits auf der Freigabeliste.</translation>
    </message>
    <message>
        <source>Removing allowlist entry %1</source>
        <translation>Freigabelisten-Eintrag %1 wird entfernt</translation>
    </message>
    <message>
        <source>%1: there is no such entry (removed already?).</source>
        <translation>%1: Diesen Eintrag gibt es nicht (bereits entfernt?).</translation>
    </message>
    <message>
        <source>you ask for %1</source>
        <translation>Sie fragen %1 an</translation>
    </message>
    <message>
        <source>Asking for %1</source>
        <translation>%1 wird angefragt</translation>
    </message>
    <message>
        <source>Approving image request %1</source>
        <translation>Image-Anfrage %1 wird genehmigt</translation>
    </message>
    <message>
        <source>Denying image request %1</source>
        <translation>Image-Anfrage %1 wird abgelehnt</translation>
    </message>
    <message>
        <source>%1: answer the requester; the answer is kept with the request.</source>
        <translation>%1: Antworten Sie dem Anfragenden; die Antwort wird mit der Anfrage gespeichert.</translation>
    </message>
    <message>
        <source>%1: there is no such request.</source>
        <translation>%1: Diese Anfrage gibt es nicht.</translation>
    </message>
    <message>
        <source>%1: it was %2 already by %3.</source>
        <translation>%1: bereits %2 durch %3.</translation>
    </message>
    <message>
        <source>Reading the image allowlist</source>
        <translation>Image-Freigabeliste wird gelesen</translation>
    </message>
    <message>
        <source>Reading the image requests</source>
        <translation>Image-Anfragen werden gelesen</translation>
    </message>
    <message>
        <source>Copying the image records</source>
        <translation>Image-Einträge werden kopiert</translation>
    </message>
    <message>
        <source>Starting the import</source>
        <translation>Import wird gestartet</translation>
    </message>
    <message>
        <source>Finishing the import</source>
        <translation>Import wird abgeschlossen</translation>
    </message>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation>Der Kommentar ist länger als 2.000 Zeichen.</translation>
    </message>
    <message>
        <source>Setting the workspace&apos;s vulnerability gate</source>
        <translation>Schwachstellen-Sperre des Arbeitsbereichs wird festgelegt</translation>
    </message>
    <message>
        <source>Setting the vulnerability gate of project %1</source>
        <translation>Schwachstellen-Sperre von Projekt %1 wird festgelegt</translation>
    </message>
    <message>
        <source>Granting an exception for %1</source>
        <translation>Ausnahme für %1 wird gewährt</translation>
    </message>
    <message>
        <source>Revoking vulnerability exception %1</source>
        <translation>Schwachstellen-Ausnahme %1 wird widerrufen</translation>
    </message>
    <message>
        <source>%1: there is no such exception (revoked already?).</source>
        <translation>%1: Diese Ausnahme gibt es nicht (bereits widerrufen?).</translation>
    </message>
    <message>
        <source>Reading the vulnerability gate</source>
        <translation>Schwachstellen-Sperre wird gelesen</translation>
    </message>
    <message>
        <source>Reading the vulnerability exceptions</source>
        <translation>Schwachstellen-Ausnahmen werden gelesen</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) cannot be imported; nothing was changed. Correct them and import again.</source>
        <translation>
            <numerusform>%n Zeile kann nicht importiert werden; es wurde nichts geändert. Korrigieren Sie sie und importieren Sie erneut.</numerusform>
            <numerusform>%n Zeilen können nicht importiert werden; es wurde nichts geändert. Korrigieren Sie sie und importieren Sie erneut.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::ImageReference</name>
    <message>
        <source>&quot;%1&quot; is not an image reference: %2</source>
        <translation>„%1“ ist keine Image-Referenz: %2</translation>
    </message>
    <message>
        <source>Enter an image reference, for example nginx:1.27.</source>
        <translation>Geben Sie eine Image-Referenz ein, zum Beispiel nginx:1.27.</translation>
    </message>
    <message>
        <source>it is longer than 512 characters.</source>
        <translation>sie ist länger als 512 Zeichen.</translation>
    </message>
    <message>
        <source>the tag &quot;%1&quot; must be 1 to 128 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;, not starting with &apos;.&apos; or &apos;-&apos;.</source>
        <translation>das Tag „%1“ muss aus 1 bis 128 Buchstaben, Ziffern, &apos;_&apos;, &apos;.&apos; oder &apos;-&apos; bestehen und darf nicht mit &apos;.&apos; oder &apos;-&apos; beginnen.</translation>
    </message>
    <message>
        <source>the registry &quot;%1&quot; is not a host name with an optional port.</source>
        <translation>die Registry „%1“ ist kein Hostname mit optionalem Port.</translation>
    </message>
    <message>
        <source>the repository name is missing.</source>
        <translation>der Repository-Name fehlt.</translation>
    </message>
    <message>
        <source>repository names are lower case (&quot;%1&quot;).</source>
        <translation>Repository-Namen sind kleingeschrieben („%1“).</translation>
    </message>
    <message>
        <source>the repository &quot;%1&quot; must be lower-case letters and digits, separated by &apos;/&apos;, &apos;.&apos;, &apos;_&apos;, &apos;__&apos; or &apos;-&apos;.</source>
        <translation>das Repository „%1“ muss aus Kleinbuchstaben und Ziffern bestehen, getrennt durch &apos;/&apos;, &apos;.&apos;, &apos;_&apos;, &apos;__&apos; oder &apos;-&apos;.</translation>
    </message>
    <message>
        <source>registry and repository together are longer than 255 characters.</source>
        <translation>Registry und Repository zusammen sind länger als 255 Zeichen.</translation>
    </message>
    <message>
        <source>64 hexadecimal digits are an image ID, not a repository name; pull by name, or write a digest as name@sha256:…</source>
        <translation>64 Hexadezimalziffern sind eine Image-ID, kein Repository-Name; holen Sie über den Namen, oder schreiben Sie einen Digest als name@sha256:…</translation>
    </message>
    <message>
        <source>the digest &quot;%1&quot; must be sha256: and 64, sha384: and 96, or sha512: and 128 lower-case hexadecimal digits.</source>
        <translation>der Digest „%1“ muss sha256: und 64, sha384: und 96 oder sha512: und 128 kleingeschriebene Hexadezimalziffern sein.</translation>
    </message>
</context>
<context>
    <name>opsdeck::ImageRequestsModel</name>
    <message>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>Angefragt von</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>Angefragt</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>Entschieden von</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Global</source>
        <translation>Global</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>genehmigt</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
</context>
<context>
    <name>opsdeck::ImagesCli</name>
    <message>
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <source>The data directory.</source>
        <translation>Das Datenverzeichnis.</translation>
    </message>
    <message>
        <source>dir</source>
        <translation>Verz</translation>
    </message>
    <message>
        <source>Use the demo&apos;s data directory.</source>
        <translation>Das Datenverzeichnis der Demo verwenden.</translation>
    </message>
    <message>
        <source>The project the images run in: its entries apply besides the global ones.</source>
        <translation>Das Projekt, in dem die Images laufen: Seine Einträge gelten neben den globalen.</translation>
    </message>
    <message>
        <source>P</source>
        <translation>P</translation>
    </message>
    <message>
        <source>Print the results as a JSON array.</source>
        <translation>Die Ergebnisse als JSON-Array ausgeben.</translation>
    </message>
    <message>
        <source>check, then the images</source>
        <translation>check, dann die Images</translation>
    </message>
    <message>
        <source>%1: not recorded in the audit log: %2</source>
        <translation>%1: nicht im Audit-Log festgehalten: %2</translation>
    </message>
    <message>
        <source>the local copy of the allowlist was not refreshed: %1</source>
        <translation>die lokale Kopie der Freigabeliste wurde nicht aktualisiert: %1</translation>
    </message>
    <message>
        <source>Allowed %1%2 (entry %3).</source>
        <translation>%1%2 erlaubt (Eintrag %3).</translation>
    </message>
    <message>
        <source> everywhere</source>
        <translation> überall</translation>
    </message>
    <message>
        <source> in project %1</source>
        <translation> in Projekt %1</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is larger than 4 MiB: not a list of images.</source>
        <translation>%1 ist größer als 4 MiB: keine Liste von Images.</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) cannot be imported; nothing was changed. Correct them and import again.</source>
        <translation>
            <numerusform>%n Zeile kann nicht importiert werden; es wurde nichts geändert. Korrigieren Sie sie und importieren Sie erneut.</numerusform>
            <numerusform>%n Zeilen können nicht importiert werden; es wurde nichts geändert. Korrigieren Sie sie und importieren Sie erneut.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Dry run: %n entry(ies) would be added; nothing was changed.</source>
        <translation>
            <numerusform>Probelauf: %n Eintrag würde hinzugefügt; es wurde nichts geändert.</numerusform>
            <numerusform>Probelauf: %n Einträge würden hinzugefügt; es wurde nichts geändert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to add: every entry is on the list already.</source>
        <translation>Nichts hinzuzufügen: Jeder Eintrag steht bereits auf der Liste.</translation>
    </message>
    <message>
        <source>nothing was imported: %1</source>
        <translation>es wurde nichts importiert: %1</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n entry(ies).</source>
        <translation>
            <numerusform>%n Eintrag importiert.</numerusform>
            <numerusform>%n Einträge importiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>allow, import: why, kept with the entry.</source>
        <translation>allow, import: warum, wird mit dem Eintrag gespeichert.</translation>
    </message>
    <message>
        <source>TEXT</source>
        <translation>TEXT</translation>
    </message>
    <message>
        <source>allow: when the entry stops allowing (YYYY-MM-DD, or an ISO 8601 time).</source>
        <translation>allow: wann der Eintrag aufhört zu erlauben (JJJJ-MM-TT oder eine ISO-8601-Zeit).</translation>
    </message>
    <message>
        <source>DATE</source>
        <translation>DATUM</translation>
    </message>
    <message>
        <source>import: show the plan, change nothing.</source>
        <translation>import: den Plan zeigen, nichts ändern.</translation>
    </message>
    <message>
        <source>allow, import: a team workspace (libpq URI).</source>
        <translation>allow, import: ein Team-Arbeitsbereich (libpq-URI).</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>allow needs one entry, e.g. opsdeck images allow nginx:1.27-* --reason &quot;base image&quot;.</source>
        <translation>allow braucht einen Eintrag, z. B. opsdeck images allow nginx:1.27-* --reason &quot;Basis-Image&quot;.</translation>
    </message>
    <message>
        <source>import needs one FILE.</source>
        <translation>import braucht eine DATEI.</translation>
    </message>
    <message>
        <source>allow needs --reason: why, kept with the entry.</source>
        <translation>allow braucht --reason: warum, wird mit dem Eintrag gespeichert.</translation>
    </message>
    <message>
        <source>--expires &quot;%1&quot; is not a date in the future (YYYY-MM-DD or an ISO 8601 time).</source>
        <translation>--expires „%1“ ist kein Datum in der Zukunft (JJJJ-MM-TT oder eine ISO-8601-Zeit).</translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;: use check, allow or import.</source>
        <translation>unbekannter Befehl „%1“: Verwenden Sie check, allow oder import.</translation>
    </message>
    <message>
        <source>check: also every image of this compose file&apos;s active services.</source>
        <translation>check: auch jedes Image der aktiven Dienste dieser Compose-Datei.</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>DATEI</translation>
    </message>
    <message>
        <source>check --compose: the variables file (instead of the project&apos;s .env).</source>
        <translation>check --compose: die Variablendatei (statt der .env des Projekts).</translation>
    </message>
    <message>
        <source>F</source>
        <translation>F</translation>
    </message>
    <message>
        <source>cannot read the compose file %1: %2</source>
        <translation>die Compose-Datei %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>the --env-file %1 does not exist.</source>
        <translation>die --env-file %1 existiert nicht.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>check needs one or more images or --compose FILE, e.g. opsdeck images check nginx:1.27 --project shop.</source>
        <translation>check braucht ein oder mehrere Images oder --compose DATEI, z. B. opsdeck images check nginx:1.27 --project shop.</translation>
    </message>
    <message>
        <source>built locally by compose: not checked</source>
        <translation>lokal von Compose gebaut: nicht geprüft</translation>
    </message>
    <message>
        <source>Container images against the workspace&apos;s image allowlist and vulnerability gate.

  opsdeck images check [--project P] [--compose FILE [--env-file F]] [--json] [IMAGE...]
      one line per image: allowed, with the entry that allows it, or refused, with why (a compose service that is built locally: built); the vulnerability gate judges too, naming the findings that block an image (overridden: findings let through by CVE exceptions); exit 0 only when every image is allowed, 1 when any is not, 2 for a usage error or a compose file that cannot be read (a required variable unset, say).
  opsdeck images allow REF --reason TEXT [--project P] [--expires DATE]
      an entry: a tag, a tag pattern (nginx:1.27-*), a repository, NAME@sha256:… or REGISTRY/NAMESPACE/*
  opsdeck images import FILE [--project P] [--reason TEXT] [--dry-run]
      one reference a line with an optional &quot;# reason&quot;; every line checked first, then all added in one transaction or none
allow and import act on the workspace the data directory uses (or --url), under your permissions, and record what they do in its audit log.

It reads this desktop&apos;s copy of the workspace (kept up to date by the window), so it works offline; the copy&apos;s age is that of the workspace shown in the window.</source>
        <translation>Container-Images gegen die Image-Freigabeliste und die Schwachstellen-Sperre des Arbeitsbereichs.

  opsdeck images check [--project P] [--compose DATEI [--env-file F]] [--json] [IMAGE...]
      eine Zeile je Image: erlaubt, mit dem erlaubenden Eintrag, oder abgelehnt, mit Grund (ein lokal gebauter Compose-Dienst: built); auch die Schwachstellen-Sperre urteilt und nennt die Befunde, die ein Image sperren (overridden: durch CVE-Ausnahmen durchgelassene Befunde); Exit-Code 0 nur, wenn jedes Image erlaubt ist, 1, wenn eines es nicht ist, 2 bei einem Bedienfehler oder einer Compose-Datei, die nicht gelesen werden kann (etwa eine nicht gesetzte erforderliche Variable).
  opsdeck images allow REF --reason TEXT [--project P] [--expires DATUM]
      ein Eintrag: ein Tag, ein Tag-Muster (nginx:1.27-*), ein Repository, NAME@sha256:… oder REGISTRY/NAMESPACE/*
  opsdeck images import DATEI [--project P] [--reason TEXT] [--dry-run]
      eine Referenz je Zeile mit optionalem &quot;# Grund&quot;; jede Zeile wird zuerst geprüft, dann werden alle in einer Transaktion hinzugefügt oder keine
allow und import wirken auf den Arbeitsbereich, den das Datenverzeichnis verwendet (oder --url), mit Ihren Berechtigungen, und halten ihr Tun in dessen Audit-Log fest.

Es liest die Kopie des Arbeitsbereichs auf diesem Desktop (vom Fenster aktuell gehalten) und funktioniert daher offline; das Alter der Kopie ist das des im Fenster gezeigten Arbeitsbereichs.</translation>
    </message>
</context>
<context>
    <name>opsdeck::ImagesPane</name>
    <message>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>The container image allowlist</source>
        <translation>Die Freigabeliste für Container-Images</translation>
    </message>
    <message>
        <source>This pane keeps the team&apos;s allowlist of container images: global and project entries, the requests for new images with their approvals, and what your Harbor and OCI registries hold, with their scan results. Join or open a workspace for the allowlist, and add a registry connection to see its images.</source>
        <translation>Dieser Bereich führt die Freigabeliste des Teams für Container-Images: globale und Projekt-Einträge, die Anfragen nach neuen Images mit ihren Genehmigungen und den Inhalt Ihrer Harbor- und OCI-Registrys mit ihren Scan-Ergebnissen. Treten Sie einem Arbeitsbereich bei oder öffnen Sie einen für die Freigabeliste, und fügen Sie eine Registry-Verbindung hinzu, um ihre Images zu sehen.</translation>
    </message>
    <message>
        <source>&amp;Allowlist</source>
        <translation>&amp;Freigabeliste</translation>
    </message>
    <message>
        <source>Re&amp;quests</source>
        <translation>&amp;Anfragen</translation>
    </message>
    <message>
        <source>Re&amp;gistries</source>
        <translation>Re&amp;gistrys</translation>
    </message>
    <message>
        <source>&amp;Projects</source>
        <translation>&amp;Projekte</translation>
    </message>
    <message>
        <source>&amp;Hosts</source>
        <translation>&amp;Hosts</translation>
    </message>
    <message>
        <source>&amp;Exposure</source>
        <translation>&amp;Gefährdung</translation>
    </message>
    <message>
        <source>Ga&amp;te</source>
        <translation>&amp;Sperre</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made.</source>
        <translation>
            <numerusform>%n Änderung vorgenommen.</numerusform>
            <numerusform>%n Änderungen vorgenommen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n removed, %1 freed.</source>
        <translation>
            <numerusform>%n entfernt, %1 freigegeben.</numerusform>
            <numerusform>%n entfernt, %1 freigegeben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Filter by entry, project, reason or who added it</source>
        <translation>Nach Eintrag, Projekt, Grund oder Hinzufügendem filtern</translation>
    </message>
    <message>
        <source>A&amp;llow Image…</source>
        <translation>Image er&amp;lauben…</translation>
    </message>
    <message>
        <source>Add an entry: an exact tag, a tag pattern, a repository, a digest or a namespace</source>
        <translation>Einen Eintrag hinzufügen: ein genaues Tag, ein Tag-Muster, ein Repository, ein Digest oder ein Namespace</translation>
    </message>
    <message>
        <source>Re&amp;voke…</source>
        <translation>&amp;Widerrufen…</translation>
    </message>
    <message>
        <source>I&amp;mport…</source>
        <translation>I&amp;mportieren…</translation>
    </message>
    <message>
        <source>Add many entries at once, pasted or from a file, after a preview of every line</source>
        <translation>Viele Einträge auf einmal hinzufügen, eingefügt oder aus einer Datei, nach einer Vorschau jeder Zeile</translation>
    </message>
    <message>
        <source>Waiting for a decision</source>
        <translation>Wartet auf Entscheidung</translation>
    </message>
    <message>
        <source>All requests</source>
        <translation>Alle Anfragen</translation>
    </message>
    <message>
        <source>Filter by image, project or person</source>
        <translation>Nach Image, Projekt oder Person filtern</translation>
    </message>
    <message>
        <source>&amp;Request Image…</source>
        <translation>Image an&amp;fragen…</translation>
    </message>
    <message>
        <source>A&amp;pprove…</source>
        <translation>Ge&amp;nehmigen…</translation>
    </message>
    <message>
        <source>&amp;Deny…</source>
        <translation>A&amp;blehnen…</translation>
    </message>
    <message>
        <source>Filter by registry, repository, tag, digest or severity</source>
        <translation>Nach Registry, Repository, Tag, Digest oder Schweregrad filtern</translation>
    </message>
    <message>
        <source>&amp;Vulnerabilities…</source>
        <translation>&amp;Schwachstellen…</translation>
    </message>
    <message>
        <source>Read the selected artifact&apos;s vulnerability report from Harbor</source>
        <translation>Den Schwachstellenbericht des ausgewählten Artefakts aus Harbor lesen</translation>
    </message>
    <message>
        <source>S&amp;can</source>
        <translation>S&amp;cannen</translation>
    </message>
    <message>
        <source>Ask Harbor to scan the selected artifact</source>
        <translation>Harbor bitten, das ausgewählte Artefakt zu scannen</translation>
    </message>
    <message numerus="yes">
        <source>Syncing %n registr(y/ies)…</source>
        <translation>
            <numerusform>%n Registry wird synchronisiert…</numerusform>
            <numerusform>%n Registrys werden synchronisiert…</numerusform>
        </translation>
    </message>
    <message>
        <source>No workspace is open: the allowlist cannot change here.</source>
        <translation>Kein Arbeitsbereich ist geöffnet: Die Freigabeliste kann hier nicht geändert werden.</translation>
    </message>
    <message numerus="yes">
        <source>Sending %n change(s) to the workspace…</source>
        <translation>
            <numerusform>%n Änderung wird an den Arbeitsbereich gesendet…</numerusform>
            <numerusform>%n Änderungen werden an den Arbeitsbereich gesendet…</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing into the workspace…</source>
        <translation>Wird in den Arbeitsbereich importiert…</translation>
    </message>
    <message>
        <source>Revoke %1</source>
        <translation>%1 widerrufen</translation>
    </message>
    <message>
        <source>Re&amp;voke</source>
        <translation>&amp;Widerrufen</translation>
    </message>
    <message>
        <source>Reading the vulnerability report of %1…</source>
        <translation>Schwachstellenbericht von %1 wird gelesen…</translation>
    </message>
    <message>
        <source>Vulnerabilities of %1</source>
        <translation>Schwachstellen von %1</translation>
    </message>
    <message>
        <source>CVE</source>
        <translation>CVE</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Paket</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Fixed in</source>
        <translation>Behoben in</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>The report lists no vulnerabilities.</source>
        <translation>Der Bericht nennt keine Schwachstellen.</translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s).</source>
        <translation>
            <numerusform>%n Befund.</numerusform>
            <numerusform>%n Befunde.</numerusform>
        </translation>
    </message>
    <message>
        <source>Asking Harbor to scan %1…</source>
        <translation>Harbor wird gebeten, %1 zu scannen…</translation>
    </message>
    <message>
        <source>A plain registry keeps no scans: this needs Harbor.</source>
        <translation>Eine einfache Registry führt keine Scans: Dafür braucht es Harbor.</translation>
    </message>
    <message>
        <source>No registry connection: add one for Harbor or an OCI registry.</source>
        <translation>Keine Registry-Verbindung: Fügen Sie eine für Harbor oder eine OCI-Registry hinzu.</translation>
    </message>
    <message>
        <source>All images</source>
        <translation>Alle Images</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>In Gebrauch</translation>
    </message>
    <message>
        <source>Unused</source>
        <translation>Ungenutzt</translation>
    </message>
    <message>
        <source>Dangling</source>
        <translation>Verwaist</translation>
    </message>
    <message>
        <source>Filter by host, image, ID or container</source>
        <translation>Nach Host, Image, ID oder Container filtern</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>Ent&amp;fernen…</translation>
    </message>
    <message>
        <source>Remove the selected images from their hosts (an image a container uses stays)</source>
        <translation>Die ausgewählten Images von ihren Hosts entfernen (ein von einem Container genutztes Image bleibt)</translation>
    </message>
    <message>
        <source>P&amp;rune…</source>
        <translation>Be&amp;reinigen…</translation>
    </message>
    <message>
        <source>Remove dangling or unused images, stopped containers, unused volumes or build cache</source>
        <translation>Verwaiste oder ungenutzte Images, gestoppte Container, ungenutzte Volumes oder Build-Cache entfernen</translation>
    </message>
    <message>
        <source>Findings from %1</source>
        <translation>Befunde ab %1</translation>
    </message>
    <message>
        <source>Entries expiring within </source>
        <translation>Einträge, die ablaufen innerhalb von </translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tagen</translation>
    </message>
    <message>
        <source>E&amp;xposed only</source>
        <translation>Nur &amp;gefährdete</translation>
    </message>
    <message>
        <source>S&amp;top Container…</source>
        <translation>Container s&amp;toppen…</translation>
    </message>
    <message>
        <source>Request &amp;This Image…</source>
        <translation>&amp;Dieses Image anfragen…</translation>
    </message>
    <message>
        <source>Running containers whose image is not allowed now, was never allowed, has findings at or above the chosen severity, is blocked by the vulnerability gate, or whose allowing entry or CVE exception expires soon.</source>
        <translation>Laufende Container, deren Image derzeit nicht erlaubt ist, nie erlaubt war, Befunde auf oder über dem gewählten Schweregrad hat, von der Schwachstellen-Sperre blockiert wird oder deren erlaubender Eintrag oder CVE-Ausnahme bald abläuft.</translation>
    </message>
    <message>
        <source>Stop Container</source>
        <translation>Container stoppen</translation>
    </message>
    <message>
        <source>Stop %1 on %2?

It is exposed: %3.</source>
        <translation>%1 auf %2 stoppen?

Er ist gefährdet: %3.</translation>
    </message>
    <message>
        <source>Stopping %1…</source>
        <translation>%1 wird gestoppt…</translation>
    </message>
    <message>
        <source>Remove Images</source>
        <translation>Images entfernen</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n image(s)?</source>
        <translation>
            <numerusform>%n Image entfernen?</numerusform>
            <numerusform>%n Images entfernen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them is used by a container: the engine keeps it.</source>
        <translation>
            <numerusform>%n davon wird von einem Container verwendet: Die Engine behält es.</numerusform>
            <numerusform>%n davon werden von Containern verwendet: Die Engine behält sie.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message numerus="yes">
        <source>Removing %n image(s)…</source>
        <translation>
            <numerusform>%n Image wird entfernt…</numerusform>
            <numerusform>%n Images werden entfernt…</numerusform>
        </translation>
    </message>
    <message>
        <source>Pruning…</source>
        <translation>Wird bereinigt…</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Tage</translation>
    </message>
</context>
<context>
    <name>opsdeck::ImportDialog</name>
    <message>
        <source>Import Allowlist Entries</source>
        <translation>Freigabelisten-Einträge importieren</translation>
    </message>
    <message>
        <source>Global (every project)</source>
        <translation>Global (jedes Projekt)</translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>For lines without a # reason of their own</source>
        <translation>Für Zeilen ohne eigenen # Grund</translation>
    </message>
    <message>
        <source>E&amp;xpire on</source>
        <translation>Läuft a&amp;b am</translation>
    </message>
    <message>
        <source>registry.example.com/team/app:1.4   # the checkout service
nginx:1.27-*</source>
        <translation>registry.example.com/team/app:1.4   # der Checkout-Dienst
nginx:1.27-*</translation>
    </message>
    <message>
        <source>&amp;Open File…</source>
        <translation>Datei ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>&amp;Scope:</source>
        <translation>&amp;Geltung:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Grund:</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>Eintrag</translation>
    </message>
    <message>
        <source>Reason or problem</source>
        <translation>Grund oder Problem</translation>
    </message>
    <message>
        <source>One reference a line, with an optional &quot;# reason&quot;:</source>
        <translation>Eine Referenz je Zeile, mit optionalem &quot;# Grund&quot;:</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is larger than 4 MiB: not a list of images.</source>
        <translation>%1 ist größer als 4 MiB: keine Liste von Images.</translation>
    </message>
    <message>
        <source>Text files (*.txt *.list);;All files (*)</source>
        <translation>Textdateien (*.txt *.list);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1 new</source>
        <translation>%1 neu</translation>
    </message>
    <message>
        <source>%1 already allowed</source>
        <translation>%1 bereits erlaubt</translation>
    </message>
    <message>
        <source>%1 duplicate</source>
        <translation>%1 doppelt</translation>
    </message>
    <message>
        <source>%1 invalid</source>
        <translation>%1 ungültig</translation>
    </message>
    <message>
        <source>%1 not found</source>
        <translation>%1 nicht gefunden</translation>
    </message>
    <message>
        <source>Correct the invalid and missing lines (a line without a # reason needs the reason above): nothing is imported while any is left.</source>
        <translation>Korrigieren Sie die ungültigen und fehlenden Zeilen (eine Zeile ohne # Grund braucht den Grund oben): Solange eine übrig ist, wird nichts importiert.</translation>
    </message>
    <message>
        <source>Reading the synced registries…</source>
        <translation>Synchronisierte Registrys werden gelesen…</translation>
    </message>
    <message>
        <source>&amp;Import %1</source>
        <translation>%1 &amp;importieren</translation>
    </message>
    <message numerus="yes">
        <source>%n entry(ies)</source>
        <translation>
            <numerusform>%n Eintrag</numerusform>
            <numerusform>%n Einträge</numerusform>
        </translation>
    </message>
    <message>
        <source>Expiry date</source>
        <translation>Ablaufdatum</translation>
    </message>
    <message>
        <source>Entries to import</source>
        <translation>Zu importierende Einträge</translation>
    </message>
    <message>
        <source>What the import does</source>
        <translation>Was der Import bewirkt</translation>
    </message>
</context>
<context>
    <name>opsdeck::ImportReportsDialog</name>
    <message>
        <source>Import Test Results</source>
        <translation>Testergebnisse importieren</translation>
    </message>
    <message>
        <source>JUnit XML reports from pytest, Maven Surefire and Failsafe, Gradle, jest, go test, cargo-nextest, TestNG, CTest or PHPUnit. Each report becomes one run of the source; a folder&apos;s .xml files are imported one by one, each whole or not at all.</source>
        <translation>JUnit-XML-Berichte von pytest, Maven Surefire und Failsafe, Gradle, jest, go test, cargo-nextest, TestNG, CTest oder PHPUnit. Jeder Bericht wird ein Lauf der Quelle; die .xml-Dateien eines Ordners werden einzeln importiert, jede ganz oder gar nicht.</translation>
    </message>
    <message>
        <source>Add &amp;Files…</source>
        <translation>&amp;Dateien hinzufügen…</translation>
    </message>
    <message>
        <source>Add F&amp;older…</source>
        <translation>&amp;Ordner hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Runs of one source make a history: new failures, flaky cases and trends are judged within it.</source>
        <translation>Die Läufe einer Quelle ergeben einen Verlauf: Neue Fehlschläge, instabile Fälle und Trends werden darin beurteilt.</translation>
    </message>
    <message>
        <source>main</source>
        <translation>main</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>&amp;Quelle:</translation>
    </message>
    <message>
        <source>&amp;Branch:</source>
        <translation>&amp;Branch:</translation>
    </message>
    <message>
        <source>&amp;Commit:</source>
        <translation>&amp;Commit:</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>JUnit XML Reports</source>
        <translation>JUnit-XML-Berichte</translation>
    </message>
    <message>
        <source>JUnit XML reports (*.xml);;All files (*)</source>
        <translation>JUnit-XML-Berichte (*.xml);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>A Folder of Reports</source>
        <translation>Ein Ordner mit Berichten</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 existiert nicht.</translation>
    </message>
    <message>
        <source>Add the reports or folders to import.</source>
        <translation>Fügen Sie die zu importierenden Berichte oder Ordner hinzu.</translation>
    </message>
    <message>
        <source>Name the source the runs belong to (1 to 200 characters).</source>
        <translation>Benennen Sie die Quelle, zu der die Läufe gehören (1 bis 200 Zeichen).</translation>
    </message>
    <message>
        <source>A commit is given by its hash: 4 to 64 hexadecimal digits.</source>
        <translation>Ein Commit wird über seinen Hash angegeben: 4 bis 64 Hexadezimalziffern.</translation>
    </message>
</context>
<context>
    <name>opsdeck::IntroductionDialog</name>
    <message>
        <source>Self-hosted runners under a label policy, workflow runs and their test results.</source>
        <translation>Selbst gehostete Runner unter einer Label-Richtlinie, Workflow-Läufe und ihre Testergebnisse.</translation>
    </message>
    <message>
        <source>Containers, and deployments of template repositories with compose.</source>
        <translation>Container und Deployments von Vorlagen-Repositorys mit Compose.</translation>
    </message>
    <message>
        <source>The images and tags of an OCI registry.</source>
        <translation>Die Images und Tags einer OCI-Registry.</translation>
    </message>
    <message>
        <source>The image allowlist of a Harbor registry, with requests and approvals.</source>
        <translation>Die Freigabeliste einer Harbor-Registry, mit Anfragen und Genehmigungen.</translation>
    </message>
    <message>
        <source>LLM budgets and spend per team, key and user.</source>
        <translation>LLM-Budgets und Ausgaben je Team, Schlüssel und Benutzer.</translation>
    </message>
    <message>
        <source>Tunnels that route deployments to their public names.</source>
        <translation>Tunnel, die Deployments zu ihren öffentlichen Namen leiten.</translation>
    </message>
    <message>
        <source>Welcome to Opsdeck</source>
        <translation>Willkommen bei Opsdeck</translation>
    </message>
    <message>
        <source>Opsdeck is one window for the platform your team runs: runners, deployments, images, LLM budgets, contract tests, and the audit log of everything done to them. It keeps a copy of what it reads, so it opens at once and works offline; every action asks first and is audited.</source>
        <translation>Opsdeck ist ein Fenster für die Plattform, die Ihr Team betreibt: Runner, Deployments, Images, LLM-Budgets, Vertragstests und das Audit-Protokoll von allem, was daran getan wird. Es behält eine Kopie dessen, was es liest, öffnet sich daher sofort und funktioniert offline; jede Aktion fragt zuerst nach und wird protokolliert.</translation>
    </message>
    <message>
        <source>Add a first connection</source>
        <translation>Erste Verbindung hinzufügen</translation>
    </message>
    <message>
        <source>Add a %1 connection</source>
        <translation>Verbindung zu %1 hinzufügen</translation>
    </message>
    <message>
        <source>Other ways to begin</source>
        <translation>Andere Wege zu beginnen</translation>
    </message>
    <message>
        <source>Join a Team Workspace</source>
        <translation>Einem Team-Arbeitsbereich beitreten</translation>
    </message>
    <message>
        <source>Share people, roles, the allowlist, policies and the audit trail with your team on PostgreSQL.</source>
        <translation>Personen, Rollen, die Freigabeliste, Richtlinien und die Audit-Spur mit Ihrem Team auf PostgreSQL teilen.</translation>
    </message>
    <message>
        <source>Open the Demo</source>
        <translation>Demo öffnen</translation>
    </message>
    <message>
        <source>A second window with sample data to try everything on; nothing in it reaches a real system.</source>
        <translation>Ein zweites Fenster mit Beispieldaten zum Ausprobieren; nichts darin erreicht ein echtes System.</translation>
    </message>
    <message>
        <source>You can open this again from Help › Introduction.</source>
        <translation>Sie können dies jederzeit über Hilfe › Einführung wieder öffnen.</translation>
    </message>
    <message>
        <source>&amp;Start Without a Connection</source>
        <translation>&amp;Ohne Verbindung beginnen</translation>
    </message>
</context>
<context>
    <name>opsdeck::JUnitReader</name>
    <message>
        <source>The time &quot;%1&quot; of %2 is not a duration; it counts as 0.</source>
        <translation>Die Zeit „%1“ von %2 ist keine Dauer; sie zählt als 0.</translation>
    </message>
    <message>
        <source>Long outputs and messages were cut to %1 characters each.</source>
        <translation>Lange Ausgaben und Meldungen wurden auf je %1 Zeichen gekürzt.</translation>
    </message>
    <message>
        <source>line %1, column %2: %3</source>
        <translation>Zeile %1, Spalte %2: %3</translation>
    </message>
    <message>
        <source>The timestamp &quot;%1&quot; of suite %2 could not be read.</source>
        <translation>Der Zeitstempel „%1“ von Suite %2 konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>suite %1</source>
        <translation>Suite %1</translation>
    </message>
    <message>
        <source>the report</source>
        <translation>der Bericht</translation>
    </message>
    <message>
        <source>case %1</source>
        <translation>Fall %1</translation>
    </message>
    <message>
        <source>The report could not be read: %1</source>
        <translation>Der Bericht konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The file is empty: not a JUnit XML report.</source>
        <translation>Die Datei ist leer: kein JUnit-XML-Bericht.</translation>
    </message>
    <message>
        <source>This is not a JUnit XML report: it ends before any element.</source>
        <translation>Dies ist kein JUnit-XML-Bericht: Er endet vor jedem Element.</translation>
    </message>
    <message>
        <source>the report ends before its elements are closed (&lt;%1&gt; is still open); the file is truncated</source>
        <translation>der Bericht endet, bevor seine Elemente geschlossen sind (&lt;%1&gt; ist noch offen); die Datei ist abgeschnitten</translation>
    </message>
    <message>
        <source>this is not a JUnit XML report: it is not XML (%1)</source>
        <translation>dies ist kein JUnit-XML-Bericht: Es ist kein XML (%1)</translation>
    </message>
    <message>
        <source>malformed XML: %1</source>
        <translation>fehlerhaftes XML: %1</translation>
    </message>
    <message>
        <source>the report declares a DOCTYPE or entities; such reports are refused, and nothing in them is resolved</source>
        <translation>der Bericht deklariert einen DOCTYPE oder Entitäten; solche Berichte werden abgelehnt, und nichts darin wird aufgelöst</translation>
    </message>
    <message>
        <source>the report refers to the entity &amp;%1;, which is refused</source>
        <translation>der Bericht verweist auf die Entität &amp;%1;, die abgelehnt wird</translation>
    </message>
    <message>
        <source>this is not a JUnit XML report: its root element is &lt;%1&gt;, not &lt;testsuites&gt; or &lt;testsuite&gt;</source>
        <translation>dies ist kein JUnit-XML-Bericht: Sein Wurzelelement ist &lt;%1&gt;, nicht &lt;testsuites&gt; oder &lt;testsuite&gt;</translation>
    </message>
    <message>
        <source>Characters that XML 1.0 forbids (%1 control codes, such as terminal colours) are shown escaped as \xNN.</source>
        <translation>Zeichen, die XML 1.0 verbietet (%1 Steuercodes, etwa Terminalfarben), werden maskiert als \xNN gezeigt.</translation>
    </message>
    <message>
        <source>The report claims %1 tests; the totals count the cases read: %2.</source>
        <translation>Der Bericht gibt %1 Tests an; die Summen zählen die gelesenen Fälle: %2.</translation>
    </message>
</context>
<context>
    <name>opsdeck::Job</name>
    <message>
        <source>Recording the job</source>
        <translation>Job wird festgehalten</translation>
    </message>
    <message>
        <source>Updating the job</source>
        <translation>Job wird aktualisiert</translation>
    </message>
    <message>
        <source>Reading the job</source>
        <translation>Job wird gelesen</translation>
    </message>
    <message>
        <source>There is no job %1.</source>
        <translation>Es gibt keinen Job %1.</translation>
    </message>
    <message>
        <source>Reading the job log</source>
        <translation>Job-Log wird gelesen</translation>
    </message>
    <message>
        <source>Writing the job log</source>
        <translation>Job-Log wird geschrieben</translation>
    </message>
    <message>
        <source>Reading jobs</source>
        <translation>Jobs werden gelesen</translation>
    </message>
    <message>
        <source>Interrupted: Opsdeck stopped while this job ran. Check what its log says was already done before you redeploy.</source>
        <translation>Unterbrochen: Opsdeck wurde beendet, während dieser Job lief. Prüfen Sie, was laut seinem Log bereits erledigt war, bevor Sie erneut bereitstellen.</translation>
    </message>
</context>
<context>
    <name>opsdeck::JobSubmitDialog</name>
    <message>
        <source>Global entries only</source>
        <translation>Nur globale Einträge</translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>Whose image allowlist entries apply to this deploy, besides the global ones</source>
        <translation>Wessen Freigabelisten-Einträge für dieses Deploy gelten, neben den globalen</translation>
    </message>
    <message>
        <source>Image &amp;allowlist:</source>
        <translation>Image-&amp;Freigabeliste:</translation>
    </message>
    <message>
        <source>Why it must run anyway: kept in the audit log (needs image.override)</source>
        <translation>Warum es trotzdem laufen muss: wird im Audit-Log gespeichert (braucht image.override)</translation>
    </message>
    <message>
        <source>Deploy &amp;anyway:</source>
        <translation>&amp;Trotzdem bereitstellen:</translation>
    </message>
    <message>
        <source>Starting the job…</source>
        <translation>Job wird gestartet…</translation>
    </message>
</context>
<context>
    <name>opsdeck::JobsModel</name>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>running…</source>
        <translation>läuft…</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
</context>
<context>
    <name>opsdeck::JsonAnswer</name>
    <message>
        <source>%1 is not valid JSON (%2 at byte %3).</source>
        <translation>%1 ist kein gültiges JSON (%2 bei Byte %3).</translation>
    </message>
    <message>
        <source>%1 is not a JSON object.</source>
        <translation>%1 ist kein JSON-Objekt.</translation>
    </message>
    <message>
        <source>%1 is not a JSON array.</source>
        <translation>%1 ist kein JSON-Array.</translation>
    </message>
</context>
<context>
    <name>opsdeck::JsonSchema</name>
    <message>
        <source>%1 is not of type %2</source>
        <translation>%1 ist nicht vom Typ %2</translation>
    </message>
    <message>
        <source>%1 is not one of the allowed values</source>
        <translation>%1 ist keiner der erlaubten Werte</translation>
    </message>
    <message>
        <source>%1 is too short</source>
        <translation>%1 ist zu kurz</translation>
    </message>
    <message>
        <source>%1 is too long</source>
        <translation>%1 ist zu lang</translation>
    </message>
    <message>
        <source>%1 does not match its pattern</source>
        <translation>%1 passt nicht zu seinem Muster</translation>
    </message>
    <message>
        <source>%1 is below its minimum</source>
        <translation>%1 liegt unter seinem Minimum</translation>
    </message>
    <message>
        <source>%1 lacks %2</source>
        <translation>%1 fehlt %2</translation>
    </message>
    <message>
        <source>%1 is not allowed</source>
        <translation>%1 ist nicht erlaubt</translation>
    </message>
    <message>
        <source>The document does not match its schema: %1.</source>
        <translation>Das Dokument entspricht nicht seinem Schema: %1.</translation>
    </message>
</context>
<context>
    <name>opsdeck::LabelPolicy</name>
    <message>
        <source>A label pattern is empty.</source>
        <translation>Ein Label-Muster ist leer.</translation>
    </message>
    <message>
        <source>The label pattern &quot;%1&quot; is not valid: %2.</source>
        <translation>Das Label-Muster „%1“ ist nicht gültig: %2.</translation>
    </message>
    <message>
        <source>A label is empty.</source>
        <translation>Ein Label ist leer.</translation>
    </message>
    <message>
        <source>The label &quot;%1…&quot; is longer than 100 characters.</source>
        <translation>Das Label „%1…“ ist länger als 100 Zeichen.</translation>
    </message>
    <message>
        <source>The label &quot;%1&quot; contains a space or a comma.</source>
        <translation>Das Label „%1“ enthält ein Leerzeichen oder ein Komma.</translation>
    </message>
    <message>
        <source>The runner name &quot;%1&quot; must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation>Der Runner-Name „%1“ muss aus 1 bis 64 Buchstaben, Ziffern, &apos;-&apos;, &apos;_&apos; oder &apos;.&apos; bestehen.</translation>
    </message>
    <message>
        <source>The label &quot;%1&quot; is both required and forbidden.</source>
        <translation>Das Label „%1“ ist zugleich erforderlich und verboten.</translation>
    </message>
    <message>
        <source>The policy must allow at least one way to provision runners.</source>
        <translation>Die Richtlinie muss mindestens einen Weg erlauben, Runner bereitzustellen.</translation>
    </message>
    <message>
        <source>This connection&apos;s policy does not allow just-in-time runners.</source>
        <translation>Die Richtlinie dieser Verbindung erlaubt keine Just-in-time-Runner.</translation>
    </message>
    <message>
        <source>This connection&apos;s policy does not allow registration tokens.</source>
        <translation>Die Richtlinie dieser Verbindung erlaubt keine Registrierungs-Tokens.</translation>
    </message>
    <message>
        <source>The label &quot;%1&quot; is forbidden by the policy.</source>
        <translation>Das Label „%1“ ist durch die Richtlinie verboten.</translation>
    </message>
    <message>
        <source>The custom label &quot;%1&quot; matches none of the allowed patterns (%2).</source>
        <translation>Das eigene Label „%1“ passt zu keinem der erlaubten Muster (%2).</translation>
    </message>
    <message>
        <source>The label &quot;%1&quot; is required by the policy but missing.</source>
        <translation>Das Label „%1“ ist laut Richtlinie erforderlich, fehlt aber.</translation>
    </message>
    <message>
        <source>added %1</source>
        <translation>%1 hinzugefügt</translation>
    </message>
    <message>
        <source>removed %1</source>
        <translation>%1 entfernt</translation>
    </message>
</context>
<context>
    <name>opsdeck::ListDialog</name>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
</context>
<context>
    <name>opsdeck::LiteLLMAnswers</name>
    <message>
        <source>%1 does not have the documented shape: %2.</source>
        <translation>%1 hat nicht die dokumentierte Form: %2.</translation>
    </message>
    <message>
        <source>%1 has no &quot;%2&quot;</source>
        <translation>%1 hat kein „%2“</translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not a text of at most %3 characters</source>
        <translation>„%2“ von %1 ist kein Text von höchstens %3 Zeichen</translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is empty</source>
        <translation>„%2“ von %1 ist leer</translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not an amount of dollars</source>
        <translation>„%2“ von %1 ist kein Dollarbetrag</translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not a whole number</source>
        <translation>„%2“ von %1 ist keine ganze Zahl</translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not true or false</source>
        <translation>„%2“ von %1 ist weder true noch false</translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not a date and time</source>
        <translation>„%2“ von %1 ist kein Datum mit Uhrzeit</translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not a list</source>
        <translation>„%2“ von %1 ist keine Liste</translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; holds something that is not a name</source>
        <translation>„%2“ von %1 enthält etwas, das kein Name ist</translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; holds something that is not an object</source>
        <translation>„%2“ von %1 enthält etwas, das kein Objekt ist</translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not an object</source>
        <translation>„%2“ von %1 ist kein Objekt</translation>
    </message>
    <message>
        <source>more than %1 %2</source>
        <translation>mehr als %1 %2</translation>
    </message>
    <message>
        <source>an item of the %1 is not an object</source>
        <translation>ein Element der %1 ist kein Objekt</translation>
    </message>
    <message>
        <source>the page</source>
        <translation>die Seite</translation>
    </message>
    <message>
        <source>the page has no list &quot;%1&quot;</source>
        <translation>die Seite hat keine Liste „%1“</translation>
    </message>
    <message>
        <source>%1 has neither &quot;user_id&quot; nor &quot;user_email&quot;</source>
        <translation>%1 hat weder „user_id“ noch „user_email“</translation>
    </message>
    <message>
        <source>organizations</source>
        <translation>Organisationen</translation>
    </message>
    <message>
        <source>an organization</source>
        <translation>eine Organisation</translation>
    </message>
    <message>
        <source>organization %1&apos;s budget</source>
        <translation>das Budget von Organisation %1</translation>
    </message>
    <message>
        <source>a member of organization %1</source>
        <translation>ein Mitglied von Organisation %1</translation>
    </message>
    <message>
        <source>a team of organization %1</source>
        <translation>ein Team von Organisation %1</translation>
    </message>
    <message>
        <source>teams</source>
        <translation>Teams</translation>
    </message>
    <message>
        <source>a team</source>
        <translation>ein Team</translation>
    </message>
    <message>
        <source>a member of team %1</source>
        <translation>ein Mitglied von Team %1</translation>
    </message>
    <message>
        <source>customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>a customer</source>
        <translation>ein Kunde</translation>
    </message>
    <message>
        <source>customer %1 has no &quot;blocked&quot;</source>
        <translation>Kunde %1 hat kein „blocked“</translation>
    </message>
    <message>
        <source>customer %1&apos;s budget</source>
        <translation>das Budget von Kunde %1</translation>
    </message>
    <message>
        <source>spend log %1 has no &quot;startTime&quot;</source>
        <translation>Ausgaben-Log %1 hat keine „startTime“</translation>
    </message>
    <message>
        <source>more than %1 %2 on a page</source>
        <translation>mehr als %1 %2 auf einer Seite</translation>
    </message>
    <message>
        <source>users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>keys (ask with return_full_object=true)</source>
        <translation>Schlüssel (mit return_full_object=true anfragen)</translation>
    </message>
    <message>
        <source>spend logs</source>
        <translation>Ausgaben-Logs</translation>
    </message>
    <message>
        <source>the daily activity</source>
        <translation>die tägliche Aktivität</translation>
    </message>
    <message>
        <source>the daily activity&apos;s metadata</source>
        <translation>die Metadaten der täglichen Aktivität</translation>
    </message>
    <message>
        <source>the daily activity has no list &quot;results&quot;</source>
        <translation>die tägliche Aktivität hat keine Liste „results“</translation>
    </message>
    <message>
        <source>more than %1 days on a page of daily activity</source>
        <translation>mehr als %1 Tage auf einer Seite der täglichen Aktivität</translation>
    </message>
    <message>
        <source>a day of the daily activity is not an object</source>
        <translation>ein Tag der täglichen Aktivität ist kein Objekt</translation>
    </message>
    <message>
        <source>a day of the daily activity</source>
        <translation>ein Tag der täglichen Aktivität</translation>
    </message>
    <message>
        <source>the daily activity&apos;s date &quot;%1&quot; is not a day (YYYY-MM-DD)</source>
        <translation>das Datum „%1“ der täglichen Aktivität ist kein Tag (JJJJ-MM-TT)</translation>
    </message>
    <message>
        <source>the daily activity of %1 has no &quot;metrics&quot;</source>
        <translation>die tägliche Aktivität von %1 hat keine „metrics“</translation>
    </message>
    <message>
        <source>the metrics of %1</source>
        <translation>die Metriken von %1</translation>
    </message>
    <message>
        <source>the daily activity lists %1 twice</source>
        <translation>die tägliche Aktivität nennt %1 zweimal</translation>
    </message>
    <message>
        <source>the model info has no list &quot;data&quot;</source>
        <translation>die Modellinfo hat keine Liste „data“</translation>
    </message>
    <message>
        <source>more than %1 model deployments</source>
        <translation>mehr als %1 Modell-Deployments</translation>
    </message>
    <message>
        <source>a model deployment is not an object</source>
        <translation>ein Modell-Deployment ist kein Objekt</translation>
    </message>
    <message>
        <source>a model deployment</source>
        <translation>ein Modell-Deployment</translation>
    </message>
    <message>
        <source>model %1 has no &quot;litellm_params&quot;</source>
        <translation>Modell %1 hat keine „litellm_params“</translation>
    </message>
    <message>
        <source>model %1 has no &quot;model_info&quot;</source>
        <translation>Modell %1 hat keine „model_info“</translation>
    </message>
    <message>
        <source>the model info of %1</source>
        <translation>die Modellinfo von %1</translation>
    </message>
    <message>
        <source>the model info lists deployment %1 twice</source>
        <translation>die Modellinfo nennt Deployment %1 zweimal</translation>
    </message>
    <message>
        <source>budgets</source>
        <translation>Budgets</translation>
    </message>
    <message>
        <source>a budget</source>
        <translation>ein Budget</translation>
    </message>
    <message>
        <source>budget %1 has no &quot;created_at&quot; or &quot;updated_at&quot;</source>
        <translation>Budget %1 hat kein „created_at“ oder „updated_at“</translation>
    </message>
    <message>
        <source>the budget list holds budget %1 twice</source>
        <translation>die Budgetliste enthält Budget %1 zweimal</translation>
    </message>
</context>
<context>
    <name>opsdeck::LiteLLMService</name>
    <message>
        <source>Demo data</source>
        <translation>Demodaten</translation>
    </message>
    <message>
        <source>The demo&apos;s proxy is not real: %1 was not sent.</source>
        <translation>Der Proxy der Demo ist nicht echt: %1 wurde nicht gesendet.</translation>
    </message>
    <message>
        <source>The proxy made the change, but the cache could not follow: %1 (the next sync brings it)</source>
        <translation>Der Proxy hat die Änderung vorgenommen, aber der Cache konnte nicht folgen: %1 (die nächste Synchronisierung holt es nach)</translation>
    </message>
    <message>
        <source>Deleted %1 %2.</source>
        <translation>%1 %2 gelöscht.</translation>
    </message>
    <message>
        <source>Done: %1</source>
        <translation>Erledigt: %1</translation>
    </message>
    <message>
        <source>Alert thresholds kept.</source>
        <translation>Warnschwellen gespeichert.</translation>
    </message>
    <message>
        <source>The proxy answered with more than %1 pages.</source>
        <translation>Der Proxy hat mit mehr als %1 Seiten geantwortet.</translation>
    </message>
    <message>
        <source>Listing the organizations of %1</source>
        <translation>Organisationen von %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>Listing the teams of %1</source>
        <translation>Teams von %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>Listing the end customers of %1</source>
        <translation>Endkunden von %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>Listing the users of %1 (page %2)</source>
        <translation>Benutzer von %1 werden aufgelistet (Seite %2)</translation>
    </message>
    <message>
        <source>Listing the keys of %1 (page %2)</source>
        <translation>Schlüssel von %1 werden aufgelistet (Seite %2)</translation>
    </message>
    <message>
        <source>Reading the models of %1</source>
        <translation>Modelle von %1 werden gelesen</translation>
    </message>
    <message>
        <source>Reading the spend logs of %1 (page %2)</source>
        <translation>Ausgaben-Logs von %1 werden gelesen (Seite %2)</translation>
    </message>
    <message>
        <source>Reading the daily spend of %1 (page %2)</source>
        <translation>Tägliche Ausgaben von %1 werden gelesen (Seite %2)</translation>
    </message>
    <message>
        <source>Cannot write the proxy&apos;s budgets to the cache: %1</source>
        <translation>Die Budgets des Proxys können nicht in den Cache geschrieben werden: %1</translation>
    </message>
    <message>
        <source>%1 teams, %2 users, %3 keys; %4 new spend log rows</source>
        <translation>%1 Teams, %2 Benutzer, %3 Schlüssel; %4 neue Zeilen im Ausgaben-Log</translation>
    </message>
    <message>
        <source>Listing the budget plans of %1</source>
        <translation>Budgetpläne von %1 werden aufgelistet</translation>
    </message>
</context>
<context>
    <name>opsdeck::LogView</name>
    <message>
        <source>Search the log (Enter: next, Shift+Enter: previous)</source>
        <translation>Das Log durchsuchen (Eingabe: nächster, Umschalt+Eingabe: vorheriger)</translation>
    </message>
    <message>
        <source>Search the log</source>
        <translation>Das Log durchsuchen</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>Vorheriger Treffer</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>Nächster Treffer</translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation>&amp;Folgen</translation>
    </message>
    <message>
        <source>Keep the newest line in view</source>
        <translation>Die neueste Zeile im Blick behalten</translation>
    </message>
    <message>
        <source>&amp;Timestamps</source>
        <translation>&amp;Zeitstempel</translation>
    </message>
    <message>
        <source> lines kept</source>
        <translation> Zeilen behalten</translation>
    </message>
    <message>
        <source>Older lines are dropped beyond this many</source>
        <translation>Ältere Zeilen werden über diese Anzahl hinaus verworfen</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy the selected lines (Ctrl+C)</source>
        <translation>Die ausgewählten Zeilen kopieren (Strg+C)</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Stop following these logs</source>
        <translation>Diese Logs nicht mehr verfolgen</translation>
    </message>
    <message>
        <source>Log lines</source>
        <translation>Log-Zeilen</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s)</source>
        <translation>
            <numerusform>%n Zeile</numerusform>
            <numerusform>%n Zeilen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n older dropped</source>
        <translation>
            <numerusform>, %n ältere verworfen</numerusform>
            <numerusform>, %n ältere verworfen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n Treffer</numerusform>
            <numerusform>%n Treffer</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Save log</source>
        <translation>Log speichern</translation>
    </message>
    <message>
        <source>Log files (*.log *.txt)</source>
        <translation>Log-Dateien (*.log *.txt)</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n line(s) to %1</source>
        <translation>
            <numerusform>%n Zeile nach %1 gespeichert</numerusform>
            <numerusform>%n Zeilen nach %1 gespeichert</numerusform>
        </translation>
    </message>
    <message>
        <source>Lines kept</source>
        <translation>Behaltene Zeilen</translation>
    </message>
</context>
<context>
    <name>opsdeck::MainWindow</name>
    <message>
        <source>Opsdeck — Demo</source>
        <translation>Opsdeck — Demo</translation>
    </message>
    <message>
        <source>Opsdeck</source>
        <translation>Opsdeck</translation>
    </message>
    <message>
        <source>Panes</source>
        <translation>Bereiche</translation>
    </message>
    <message>
        <source>%1 API: %2 of %3 requests left, resets %4</source>
        <translation>%1-API: %2 von %3 Anfragen übrig, Rücksetzung %4</translation>
    </message>
    <message>
        <source>Nothing to refresh: no connection feeds this pane yet.</source>
        <translation>Nichts zu aktualisieren: Noch keine Verbindung speist diesen Bereich.</translation>
    </message>
    <message numerus="yes">
        <source>Refreshing %n connection(s)…</source>
        <translation>
            <numerusform>%n Verbindung wird aktualisiert…</numerusform>
            <numerusform>%n Verbindungen werden aktualisiert…</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Connections…</source>
        <translation>&amp;Verbindungen…</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>Team &amp;Workspace…</source>
        <translation>Team-&amp;Arbeitsbereich…</translation>
    </message>
    <message>
        <source>The demo has its own team; a real data directory joins one.</source>
        <translation>Die Demo hat ihr eigenes Team; ein echtes Datenverzeichnis tritt einem bei.</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Go to…</source>
        <translation>&amp;Gehe zu…</translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <source>&amp;Next pane</source>
        <translation>&amp;Nächster Bereich</translation>
    </message>
    <message>
        <source>&amp;Previous pane</source>
        <translation>&amp;Vorheriger Bereich</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>&lt;table&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+K&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Go to a pane or connection&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+1 … Ctrl+7&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Show a pane&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+PgDown / Ctrl+PgUp&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Next / previous pane&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;F5&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Refresh the current pane&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+,&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Connections&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+Q&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Quit&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;table&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Strg+K&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Zu einem Bereich oder einer Verbindung gehen&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Strg+1 … Strg+7&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Einen Bereich zeigen&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Strg+Bild ab / Strg+Bild auf&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Nächster / vorheriger Bereich&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;F5&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Den aktuellen Bereich aktualisieren&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Strg+,&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Verbindungen&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Strg+Q&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Beenden&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
    <message>
        <source>&amp;About Opsdeck</source>
        <translation>&amp;Über Opsdeck</translation>
    </message>
    <message>
        <source>About Opsdeck</source>
        <translation>Über Opsdeck</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Opsdeck %1&lt;/h3&gt;&lt;p&gt;A native admin console for GitHub Actions runners, Docker deployments, Harbor images, LiteLLM budgets and contract tests.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Opsdeck %1&lt;/h3&gt;&lt;p&gt;Eine native Admin-Konsole für GitHub-Actions-Runner, Docker-Deployments, Harbor-Images, LiteLLM-Budgets und Vertragstests.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>Opsdeck stopped unexpectedly</source>
        <translation>Opsdeck wurde unerwartet beendet</translation>
    </message>
    <message>
        <source>Opsdeck stopped unexpectedly the last time it ran.</source>
        <translation>Opsdeck wurde beim letzten Mal unerwartet beendet.</translation>
    </message>
    <message numerus="yes">
        <source>%n more crash report(s) in the same folder.</source>
        <translation>
            <numerusform>%n weiterer Absturzbericht im selben Ordner.</numerusform>
            <numerusform>%n weitere Absturzberichte im selben Ordner.</numerusform>
        </translation>
    </message>
    <message>
        <source>The crash report is %1. Nothing in it is secret (it holds no memory contents); attach it when you report the problem.

%2</source>
        <translation>Der Absturzbericht ist %1. Nichts darin ist geheim (er enthält keine Speicherinhalte); hängen Sie ihn an, wenn Sie das Problem melden.

%2</translation>
    </message>
    <message>
        <source>Show Report Folder</source>
        <translation>Berichtsordner zeigen</translation>
    </message>
    <message>
        <source>Opsdeck stopped unexpectedly last time; the crash report is %1</source>
        <translation>Opsdeck wurde beim letzten Mal unerwartet beendet; der Absturzbericht ist %1</translation>
    </message>
    <message>
        <source>pane</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>%1 connection</source>
        <translation>%1-Verbindung</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>&amp;Import Test Results…</source>
        <translation>Testergebnisse &amp;importieren…</translation>
    </message>
    <message>
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Opsdeck shows its window in %1 from its next start.</source>
        <translation>Opsdeck zeigt sein Fenster ab dem nächsten Start auf %1.</translation>
    </message>
    <message>
        <source>&amp;Restart Now</source>
        <translation>Jetzt &amp;neu starten</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>&amp;Später</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Introduction</source>
        <translation>&amp;Einführung</translation>
    </message>
    <message>
        <source>%1: no longer in the list, or hidden by its filter.</source>
        <translation>%1: nicht mehr in der Liste oder durch den Filter ausgeblendet.</translation>
    </message>
</context>
<context>
    <name>opsdeck::MockForm</name>
    <message>
        <source>Mock Server</source>
        <translation>Mock-Server</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>(not run by a container Opsdeck knows)</source>
        <translation>(nicht von einem Container betrieben, den Opsdeck kennt)</translation>
    </message>
    <message>
        <source>the container&apos;s name</source>
        <translation>der Name des Containers</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>&amp;Health check path:</source>
        <translation>Pfad der &amp;Zustandsprüfung:</translation>
    </message>
    <message>
        <source>Check &amp;every:</source>
        <translation>Prüfen &amp;alle:</translation>
    </message>
    <message>
        <source>&amp;Docker connection:</source>
        <translation>&amp;Docker-Verbindung:</translation>
    </message>
    <message>
        <source>&amp;Container:</source>
        <translation>&amp;Container:</translation>
    </message>
</context>
<context>
    <name>opsdeck::MockStore</name>
    <message>
        <source>Reading the mocks</source>
        <translation>Mocks werden gelesen</translation>
    </message>
    <message>
        <source>Reading mock %1</source>
        <translation>Mock %1 wird gelesen</translation>
    </message>
    <message>
        <source>There is a mock named &quot;%1&quot; already.</source>
        <translation>Es gibt bereits einen Mock namens „%1“.</translation>
    </message>
    <message>
        <source>Saving mock %1</source>
        <translation>Mock %1 wird gespeichert</translation>
    </message>
    <message>
        <source>There is no mock %1 (removed meanwhile?).</source>
        <translation>Es gibt keinen Mock %1 (inzwischen entfernt?).</translation>
    </message>
    <message>
        <source>Removing mock %1</source>
        <translation>Mock %1 wird entfernt</translation>
    </message>
    <message>
        <source>Recording a health check</source>
        <translation>Zustandsprüfung wird festgehalten</translation>
    </message>
    <message>
        <source>Forgetting old health checks</source>
        <translation>Alte Zustandsprüfungen werden vergessen</translation>
    </message>
</context>
<context>
    <name>opsdeck::Mocks</name>
    <message>
        <source>not known</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>A mock needs a name of 1 to 200 characters.</source>
        <translation>Ein Mock braucht einen Namen von 1 bis 200 Zeichen.</translation>
    </message>
    <message>
        <source>The mock&apos;s URL must be http or https with a host and no credentials (got &quot;%1&quot;).</source>
        <translation>Die URL des Mocks muss http oder https mit Host und ohne Zugangsdaten sein (erhalten: „%1“).</translation>
    </message>
    <message>
        <source>The health check&apos;s path starts with / and has no spaces (got &quot;%1&quot;).</source>
        <translation>Der Pfad der Zustandsprüfung beginnt mit / und enthält keine Leerzeichen (erhalten: „%1“).</translation>
    </message>
    <message>
        <source>Check every 5 seconds to once a day (got %1 s).</source>
        <translation>Prüfen Sie alle 5 Sekunden bis einmal täglich (erhalten: %1 s).</translation>
    </message>
    <message>
        <source>Choose the Docker connection that runs the container %1.</source>
        <translation>Wählen Sie die Docker-Verbindung, die den Container %1 betreibt.</translation>
    </message>
</context>
<context>
    <name>opsdeck::MocksDialog</name>
    <message>
        <source>Mock Servers</source>
        <translation>Mock-Server</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <source>Check &amp;Now</source>
        <translation>Jetzt &amp;prüfen</translation>
    </message>
    <message>
        <source>Re&amp;start Container…</source>
        <translation>Container neu &amp;starten…</translation>
    </message>
    <message>
        <source>No mock yet: Add… names a mock server and how to ask for its health.</source>
        <translation>Noch kein Mock: Hinzufügen… nennt einen Mock-Server und wie sein Zustand erfragt wird.</translation>
    </message>
    <message>
        <source>Restart the container through its Docker connection (audited).</source>
        <translation>Den Container über seine Docker-Verbindung neu starten (auditiert).</translation>
    </message>
    <message>
        <source>Name the mock&apos;s container and Docker connection to restart it from here.</source>
        <translation>Nennen Sie den Container und die Docker-Verbindung des Mocks, um ihn von hier neu zu starten.</translation>
    </message>
    <message>
        <source>Remove %1?</source>
        <translation>%1 entfernen?</translation>
    </message>
    <message>
        <source>Remove the mock %1 and its health history from this desktop?</source>
        <translation>Den Mock %1 und seinen Zustandsverlauf von diesem Desktop entfernen?</translation>
    </message>
    <message>
        <source>The mock server itself keeps running.</source>
        <translation>Der Mock-Server selbst läuft weiter.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <source>Restart %1?</source>
        <translation>%1 neu starten?</translation>
    </message>
    <message>
        <source>Restart the container %1 that runs %2? Golden runs against it meanwhile will fail.</source>
        <translation>Den Container %1 neu starten, der %2 betreibt? Golden-Läufe dagegen schlagen in der Zwischenzeit fehl.</translation>
    </message>
    <message>
        <source>Restarting %1…</source>
        <translation>%1 wird neu gestartet…</translation>
    </message>
</context>
<context>
    <name>opsdeck::MocksModel</name>
    <message>
        <source>Mock</source>
        <translation>Mock</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Uptime 24 h</source>
        <translation>Verfügbarkeit 24 h</translation>
    </message>
    <message>
        <source>Uptime 7 days</source>
        <translation>Verfügbarkeit 7 Tage</translation>
    </message>
    <message>
        <source>Outages (7 days)</source>
        <translation>Ausfälle (7 Tage)</translation>
    </message>
    <message>
        <source>Last check</source>
        <translation>Letzte Prüfung</translation>
    </message>
    <message>
        <source>Container</source>
        <translation>Container</translation>
    </message>
    <message>
        <source>Reading the mocks</source>
        <translation>Mocks werden gelesen</translation>
    </message>
    <message>
        <source>Reading the health of mock %1</source>
        <translation>Zustand von Mock %1 wird gelesen</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>noch nicht geprüft</translation>
    </message>
    <message>
        <source>up</source>
        <translation>erreichbar</translation>
    </message>
    <message>
        <source>down</source>
        <translation>ausgefallen</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
</context>
<context>
    <name>opsdeck::NewRunnerDialog</name>
    <message>
        <source>New runner</source>
        <translation>Neuer Runner</translation>
    </message>
    <message>
        <source>Organization %1</source>
        <translation>Organisation %1</translation>
    </message>
    <message>
        <source>Repository %1</source>
        <translation>Repository %1</translation>
    </message>
    <message>
        <source>ci-linux-x64-042</source>
        <translation>ci-linux-x64-042</translation>
    </message>
    <message>
        <source>linux, x64, team-platform</source>
        <translation>linux, x64, team-platform</translation>
    </message>
    <message>
        <source>&amp;Just-in-time config (one job, then gone)</source>
        <translation>&amp;Just-in-time-Konfiguration (ein Job, dann weg)</translation>
    </message>
    <message>
        <source>&amp;Registration token (config.sh)</source>
        <translation>&amp;Registrierungs-Token (config.sh)</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Anlegen</translation>
    </message>
    <message>
        <source>C&amp;opy</source>
        <translation>K&amp;opieren</translation>
    </message>
    <message>
        <source>&amp;Register in:</source>
        <translation>&amp;Registrieren in:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Runner &amp;group ID:</source>
        <translation>Runner-&amp;Gruppen-ID:</translation>
    </message>
    <message>
        <source>&amp;Labels:</source>
        <translation>&amp;Labels:</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>Modus:</translation>
    </message>
    <message>
        <source>Asking GitHub…</source>
        <translation>GitHub wird gefragt…</translation>
    </message>
    <message>
        <source>Runner %1 created. Start it with the official runner:

%2

or in a container:

%3
</source>
        <translation>Runner %1 angelegt. Starten Sie ihn mit dem offiziellen Runner:

%2

oder in einem Container:

%3
</translation>
    </message>
    <message>
        <source>Registration token (expires %1):

%2
</source>
        <translation>Registrierungs-Token (läuft ab %1):

%2
</translation>
    </message>
    <message>
        <source>Shown once: Opsdeck does not keep this secret. Copy it now.</source>
        <translation>Einmal gezeigt: Opsdeck bewahrt dieses Geheimnis nicht auf. Kopieren Sie es jetzt.</translation>
    </message>
</context>
<context>
    <name>opsdeck::NoticeHub</name>
    <message>
        <source>job %1</source>
        <translation>Job %1</translation>
    </message>
    <message>
        <source>A connection</source>
        <translation>Eine Verbindung</translation>
    </message>
    <message numerus="yes">
        <source>%n image request(s) for you</source>
        <translation>
            <numerusform>%n Image-Anfrage für Sie</numerusform>
            <numerusform>%n Image-Anfragen für Sie</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::Notifications</name>
    <message>
        <source>%1 tests: %2 passed, %3 failed, %4 errors, %5 skipped, %6 flaky</source>
        <translation>%1 Tests: %2 bestanden, %3 fehlgeschlagen, %4 Fehler, %5 übersprungen, %6 instabil</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n new failure(s) in %2</source>
        <translation>
            <numerusform>%1: %n neuer Fehlschlag in %2</numerusform>
            <numerusform>%1: %n neue Fehlschläge in %2</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: run %2 failed</source>
        <translation>%1: Lauf %2 ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>branch %1</source>
        <translation>Branch %1</translation>
    </message>
    <message>
        <source>commit %1</source>
        <translation>Commit %1</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… und %n weiterer</numerusform>
            <numerusform>… und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>When a run fails</source>
        <translation>Wenn ein Lauf fehlschlägt</translation>
    </message>
    <message>
        <source>When a run has new failures</source>
        <translation>Wenn ein Lauf neue Fehlschläge hat</translation>
    </message>
    <message>
        <source>The Slack webhook is not a URL: copy it from the app&apos;s Incoming Webhooks page (https://hooks.slack.com/services/…).</source>
        <translation>Der Slack-Webhook ist keine URL: Kopieren Sie ihn von der Seite Incoming Webhooks der App (https://hooks.slack.com/services/…).</translation>
    </message>
    <message>
        <source>The Slack webhook must be an https address: the URL itself is the secret.</source>
        <translation>Der Slack-Webhook muss eine https-Adresse sein: Die URL selbst ist das Geheimnis.</translation>
    </message>
    <message>
        <source>The Jira site is its https address, such as https://your-domain.atlassian.net.</source>
        <translation>Die Jira-Site ist ihre https-Adresse, etwa https://your-domain.atlassian.net.</translation>
    </message>
    <message>
        <source>The Jira account is the e-mail address its API token belongs to.</source>
        <translation>Das Jira-Konto ist die E-Mail-Adresse, zu der sein API-Token gehört.</translation>
    </message>
    <message>
        <source>A Jira project key is an uppercase letter followed by 1 to 9 uppercase letters, digits or underscores (OPS, QA2).</source>
        <translation>Ein Jira-Projektschlüssel ist ein Großbuchstabe gefolgt von 1 bis 9 Großbuchstaben, Ziffern oder Unterstrichen (OPS, QA2).</translation>
    </message>
    <message>
        <source>Name the issue type to create (Bug, Task).</source>
        <translation>Nennen Sie den anzulegenden Vorgangstyp (Bug, Task).</translation>
    </message>
    <message>
        <source>*Failing:*</source>
        <translation>*Fehlschlagend:*</translation>
    </message>
    <message>
        <source>*New failures:*</source>
        <translation>*Neue Fehlschläge:*</translation>
    </message>
    <message>
        <source>Slack could not read the message</source>
        <translation>Slack konnte die Nachricht nicht lesen</translation>
    </message>
    <message>
        <source>the user of the webhook does not exist</source>
        <translation>der Benutzer des Webhooks existiert nicht</translation>
    </message>
    <message>
        <source>the workspace restricts posting with this webhook</source>
        <translation>der Workspace schränkt das Posten mit diesem Webhook ein</translation>
    </message>
    <message>
        <source>the webhook&apos;s channel does not exist</source>
        <translation>der Kanal des Webhooks existiert nicht</translation>
    </message>
    <message>
        <source>the webhook&apos;s channel is archived</source>
        <translation>der Kanal des Webhooks ist archiviert</translation>
    </message>
    <message>
        <source>Slack failed on its side</source>
        <translation>Slack ist auf seiner Seite fehlgeschlagen</translation>
    </message>
    <message>
        <source>the webhook is disabled, removed or not a webhook</source>
        <translation>der Webhook ist deaktiviert, entfernt oder kein Webhook</translation>
    </message>
    <message>
        <source>the message had no text</source>
        <translation>die Nachricht hatte keinen Text</translation>
    </message>
    <message>
        <source>posting to #general is not allowed</source>
        <translation>Posten in #general ist nicht erlaubt</translation>
    </message>
    <message>
        <source>no explanation was given</source>
        <translation>es wurde keine Erklärung gegeben</translation>
    </message>
    <message>
        <source>Slack refused the message for now (too many messages): %1</source>
        <translation>Slack hat die Nachricht vorerst abgelehnt (zu viele Nachrichten): %1</translation>
    </message>
    <message>
        <source>Slack answered &quot;%1&quot; instead of ok.</source>
        <translation>Slack hat „%1“ statt ok geantwortet.</translation>
    </message>
    <message>
        <source>Slack refused the message (HTTP %1): %2 (%3).</source>
        <translation>Slack hat die Nachricht abgelehnt (HTTP %1): %2 (%3).</translation>
    </message>
    <message>
        <source>Failing cases:</source>
        <translation>Fehlschlagende Fälle:</translation>
    </message>
    <message>
        <source>New failures (passing in the run before):</source>
        <translation>Neue Fehlschläge (im Lauf davor bestanden):</translation>
    </message>
    <message>
        <source>Reported by Opsdeck from run %1 of %2.</source>
        <translation>Von Opsdeck gemeldet aus Lauf %1 von %2.</translation>
    </message>
    <message>
        <source>Jira created an issue but did not say its key.</source>
        <translation>Jira hat einen Vorgang angelegt, aber seinen Schlüssel nicht genannt.</translation>
    </message>
    <message>
        <source>the account or its API token is not accepted</source>
        <translation>das Konto oder sein API-Token wird nicht akzeptiert</translation>
    </message>
    <message>
        <source>the account may not create issues in this project</source>
        <translation>das Konto darf in diesem Projekt keine Vorgänge anlegen</translation>
    </message>
    <message>
        <source>Jira did not create the issue (HTTP %1): %2.</source>
        <translation>Jira hat den Vorgang nicht angelegt (HTTP %1): %2.</translation>
    </message>
    <message>
        <source>The telemetry receiver is an https address (or http on this machine), such as https://ci.example.com/opsdeck/runs.</source>
        <translation>Der Telemetrie-Empfänger ist eine https-Adresse (oder http auf diesem Rechner), etwa https://ci.example.com/opsdeck/runs.</translation>
    </message>
</context>
<context>
    <name>opsdeck::NotifyDialog</name>
    <message>
        <source>Notifications for %1</source>
        <translation>Benachrichtigungen für %1</translation>
    </message>
    <message>
        <source>Slack</source>
        <translation>Slack</translation>
    </message>
    <message>
        <source>kept in your keychain; enter a new one to replace it</source>
        <translation>in Ihrem Schlüsselbund gespeichert; geben Sie einen neuen ein, um ihn zu ersetzen</translation>
    </message>
    <message>
        <source>&amp;Post:</source>
        <translation>&amp;Posten:</translation>
    </message>
    <message>
        <source>Incoming &amp;webhook:</source>
        <translation>Incoming &amp;Webhook:</translation>
    </message>
    <message>
        <source>Jira</source>
        <translation>Jira</translation>
    </message>
    <message>
        <source>the e-mail address of the API token&apos;s account</source>
        <translation>die E-Mail-Adresse des Kontos des API-Tokens</translation>
    </message>
    <message>
        <source>C&amp;reate an issue:</source>
        <translation>Vo&amp;rgang anlegen:</translation>
    </message>
    <message>
        <source>&amp;Site:</source>
        <translation>&amp;Site:</translation>
    </message>
    <message>
        <source>&amp;Account:</source>
        <translation>&amp;Konto:</translation>
    </message>
    <message>
        <source>API &amp;token:</source>
        <translation>API-&amp;Token:</translation>
    </message>
    <message>
        <source>Pro&amp;ject key:</source>
        <translation>Pro&amp;jektschlüssel:</translation>
    </message>
    <message>
        <source>Issue t&amp;ype:</source>
        <translation>Vorgangs&amp;typ:</translation>
    </message>
    <message>
        <source>A notifier that fails never fails the import: the failure is shown, logged and kept in the audit log.</source>
        <translation>Ein fehlschlagender Benachrichtiger lässt nie den Import fehlschlagen: Der Fehler wird gezeigt, protokolliert und im Audit-Log festgehalten.</translation>
    </message>
</context>
<context>
    <name>opsdeck::Offboarding</name>
    <message>
        <source>Reading the connections</source>
        <translation>Verbindungen werden gelesen</translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation>%1 wird gelesen</translation>
    </message>
    <message>
        <source>%1 is not a person of this workspace.</source>
        <translation>%1 ist keine Person dieses Arbeitsbereichs.</translation>
    </message>
    <message>
        <source>Deactivate %1 in the workspace and revoke their sign-in</source>
        <translation>%1 im Arbeitsbereich deaktivieren und die Anmeldung entziehen</translation>
    </message>
    <message>
        <source>Remove %1 from GitHub</source>
        <translation>%1 aus GitHub entfernen</translation>
    </message>
    <message>
        <source>No GitHub connection: there is no organization to remove them from.</source>
        <translation>Keine GitHub-Verbindung: Es gibt keine Organisation, aus der entfernt werden könnte.</translation>
    </message>
    <message>
        <source>Remove %1 from the GitHub organization %2 (%3)</source>
        <translation>%1 aus der GitHub-Organisation %2 entfernen (%3)</translation>
    </message>
    <message>
        <source>%1 names no organization, only repositories.</source>
        <translation>%1 nennt keine Organisation, nur Repositorys.</translation>
    </message>
    <message>
        <source>No GitHub login is linked to %1 in the workspace.</source>
        <translation>Im Arbeitsbereich ist kein GitHub-Login mit %1 verknüpft.</translation>
    </message>
    <message>
        <source>Reading %1&apos;s runners</source>
        <translation>Runner von %1 werden gelesen</translation>
    </message>
    <message>
        <source>Record the busy runner %1 (%2)</source>
        <translation>Den beschäftigten Runner %1 festhalten (%2)</translation>
    </message>
    <message>
        <source>Delete the idle runner %1 (%2)</source>
        <translation>Den untätigen Runner %1 löschen (%2)</translation>
    </message>
    <message>
        <source>Delete their runners</source>
        <translation>Die Runner löschen</translation>
    </message>
    <message>
        <source>%1 owns no runner.</source>
        <translation>%1 besitzt keinen Runner.</translation>
    </message>
    <message>
        <source>Reading %1&apos;s deployments</source>
        <translation>Deployments von %1 werden gelesen</translation>
    </message>
    <message>
        <source>Stop the deployment %1 on %2</source>
        <translation>Das Deployment %1 auf %2 stoppen</translation>
    </message>
    <message>
        <source>Nothing of it runs.</source>
        <translation>Nichts davon läuft.</translation>
    </message>
    <message>
        <source>Stop their deployments</source>
        <translation>Die Deployments stoppen</translation>
    </message>
    <message>
        <source>%1 deployed nothing that is still there.</source>
        <translation>%1 hat nichts bereitgestellt, das noch da ist.</translation>
    </message>
    <message>
        <source>No %1 connection.</source>
        <translation>Keine %1-Verbindung.</translation>
    </message>
    <message>
        <source>No %1 user is linked to %2 in the workspace.</source>
        <translation>Im Arbeitsbereich ist kein %1-Benutzer mit %2 verknüpft.</translation>
    </message>
    <message>
        <source>Recording the offboarding of %1</source>
        <translation>Offboarding von %1 wird festgehalten</translation>
    </message>
    <message>
        <source>Reading offboarding %1</source>
        <translation>Offboarding %1 wird gelesen</translation>
    </message>
    <message>
        <source>There is no offboarding %1.</source>
        <translation>Es gibt kein Offboarding %1.</translation>
    </message>
    <message>
        <source>Reading the offboardings of %1</source>
        <translation>Offboardings von %1 werden gelesen</translation>
    </message>
    <message>
        <source>Recording step %1 of offboarding %2</source>
        <translation>Schritt %1 von Offboarding %2 wird festgehalten</translation>
    </message>
    <message>
        <source>Offboarding %1 has no step %2.</source>
        <translation>Offboarding %1 hat keinen Schritt %2.</translation>
    </message>
    <message>
        <source>Recording offboarding %1</source>
        <translation>Offboarding %1 wird festgehalten</translation>
    </message>
    <message>
        <source>Remove %1 from every Harbor project</source>
        <translation>%1 aus jedem Harbor-Projekt entfernen</translation>
    </message>
    <message>
        <source>Block the LiteLLM user %1 and their keys</source>
        <translation>Den LiteLLM-Benutzer %1 und seine Schlüssel sperren</translation>
    </message>
</context>
<context>
    <name>opsdeck::OffboardingDialog</name>
    <message>
        <source>Offboard %1</source>
        <translation>%1 offboarden</translation>
    </message>
    <message>
        <source>Every step, in order. Each one is recorded in the audit log with your comment; a step that fails does not stop the others, and can be run again.</source>
        <translation>Jeder Schritt, der Reihe nach. Jeder wird mit Ihrem Kommentar im Audit-Log festgehalten; ein fehlschlagender Schritt hält die anderen nicht auf und kann erneut ausgeführt werden.</translation>
    </message>
    <message>
        <source>Why (required; it goes into every step&apos;s audit event)</source>
        <translation>Warum (erforderlich; geht in das Audit-Ereignis jedes Schritts)</translation>
    </message>
    <message>
        <source>&amp;Start Offboarding</source>
        <translation>Offboarding &amp;starten</translation>
    </message>
    <message>
        <source>Planning the steps…</source>
        <translation>Schritte werden geplant…</translation>
    </message>
    <message>
        <source>Offboarding needs the services of a running Opsdeck.</source>
        <translation>Offboarding braucht die Dienste eines laufenden Opsdeck.</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Running: %1 of %2 steps finished…</source>
        <translation>Läuft: %1 von %2 Schritten abgeschlossen…</translation>
    </message>
    <message>
        <source>Done: every step is done or skipped.</source>
        <translation>Fertig: Jeder Schritt ist erledigt oder übersprungen.</translation>
    </message>
    <message numerus="yes">
        <source>Not finished: %n step(s) failed. Resume runs again what is not done.</source>
        <translation>
            <numerusform>Nicht abgeschlossen: %n Schritt ist fehlgeschlagen. Fortsetzen führt erneut aus, was nicht erledigt ist.</numerusform>
            <numerusform>Nicht abgeschlossen: %n Schritte sind fehlgeschlagen. Fortsetzen führt erneut aus, was nicht erledigt ist.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not finished: %1 of %2 steps done. Resume runs the rest.</source>
        <translation>Nicht abgeschlossen: %1 von %2 Schritten erledigt. Fortsetzen führt den Rest aus.</translation>
    </message>
    <message numerus="yes">
        <source>%n step(s) to run; the skipped ones say why.</source>
        <translation>
            <numerusform>%n Schritt auszuführen; die übersprungenen nennen den Grund.</numerusform>
            <numerusform>%n Schritte auszuführen; die übersprungenen nennen den Grund.</numerusform>
        </translation>
    </message>
    <message>
        <source>Offboarding steps</source>
        <translation>Offboarding-Schritte</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
</context>
<context>
    <name>opsdeck::OffboardingModel</name>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>running…</source>
        <translation>läuft…</translation>
    </message>
    <message>
        <source>to do</source>
        <translation>offen</translation>
    </message>
</context>
<context>
    <name>opsdeck::OffboardingRemote</name>
    <message>
        <source>%1 (removed from %2 before that)</source>
        <translation>%1 (zuvor aus %2 entfernt)</translation>
    </message>
    <message>
        <source>Removing %1 from the Harbor project %2</source>
        <translation>%1 wird aus dem Harbor-Projekt %2 entfernt</translation>
    </message>
    <message>
        <source>%1 is a member of no Harbor project.</source>
        <translation>%1 ist in keinem Harbor-Projekt Mitglied.</translation>
    </message>
    <message numerus="yes">
        <source>%1 removed from %n project(s): %2</source>
        <translation>
            <numerusform>%1 aus %n Projekt entfernt: %2</numerusform>
            <numerusform>%1 aus %n Projekten entfernt: %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the members of the Harbor project %1</source>
        <translation>Mitglieder des Harbor-Projekts %1 werden gelesen</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n key(s) blocked before that)</source>
        <translation>
            <numerusform>%1 (zuvor %n Schlüssel gesperrt)</numerusform>
            <numerusform>%1 (zuvor %n Schlüssel gesperrt)</numerusform>
        </translation>
    </message>
    <message>
        <source>Blocking the LiteLLM user %1</source>
        <translation>Der LiteLLM-Benutzer %1 wird gesperrt</translation>
    </message>
    <message numerus="yes">
        <source>%1 is blocked, with %n key(s) of theirs.</source>
        <translation>
            <numerusform>%1 ist gesperrt, mit %n seiner Schlüssel.</numerusform>
            <numerusform>%1 ist gesperrt, mit %n seiner Schlüssel.</numerusform>
        </translation>
    </message>
    <message>
        <source>Blocking a LiteLLM key of %1</source>
        <translation>Ein LiteLLM-Schlüssel von %1 wird gesperrt</translation>
    </message>
    <message>
        <source>Listing the Harbor projects of %1</source>
        <translation>Harbor-Projekte von %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>Listing the LiteLLM keys of %1</source>
        <translation>LiteLLM-Schlüssel von %1 werden aufgelistet</translation>
    </message>
</context>
<context>
    <name>opsdeck::OffboardingService</name>
    <message>
        <source>Nobody offboards themselves.</source>
        <translation>Niemand offboardet sich selbst.</translation>
    </message>
    <message>
        <source>Say why %1 is offboarded: the comment goes into every step&apos;s audit event.</source>
        <translation>Sagen Sie, warum %1 offboardet wird: Der Kommentar geht in das Audit-Ereignis jedes Schritts.</translation>
    </message>
    <message>
        <source>An offboarding of %1 is not finished yet: resume it instead.</source>
        <translation>Ein Offboarding von %1 ist noch nicht abgeschlossen: Setzen Sie es stattdessen fort.</translation>
    </message>
    <message>
        <source>The offboarding of %1 is running already.</source>
        <translation>Das Offboarding von %1 läuft bereits.</translation>
    </message>
    <message>
        <source>%1 is deactivated.</source>
        <translation>%1 ist deaktiviert.</translation>
    </message>
    <message>
        <source>The workspace service is not running.</source>
        <translation>Der Arbeitsbereichsdienst läuft nicht.</translation>
    </message>
    <message>
        <source>%1 is deactivated and can no longer sign in.</source>
        <translation>%1 ist deaktiviert und kann sich nicht mehr anmelden.</translation>
    </message>
    <message>
        <source>No GitHub login is linked to %1 in the workspace.</source>
        <translation>Im Arbeitsbereich ist kein GitHub-Login mit %1 verknüpft.</translation>
    </message>
    <message>
        <source>The GitHub service is not running.</source>
        <translation>Der GitHub-Dienst läuft nicht.</translation>
    </message>
    <message>
        <source>%1 is out of %2.</source>
        <translation>%1 ist nicht mehr in %2.</translation>
    </message>
    <message>
        <source>Runner %1 is gone.</source>
        <translation>Runner %1 ist weg.</translation>
    </message>
    <message>
        <source>Runner %1 is busy with a job: left to finish it, and recorded here. Remove it from the Runners pane once it is idle.</source>
        <translation>Runner %1 ist mit einem Job beschäftigt: Er darf ihn beenden und wird hier festgehalten. Entfernen Sie ihn im Bereich Runner, sobald er untätig ist.</translation>
    </message>
    <message>
        <source>Runner %1 is deleted.</source>
        <translation>Runner %1 ist gelöscht.</translation>
    </message>
    <message>
        <source>The Docker service is not running.</source>
        <translation>Der Docker-Dienst läuft nicht.</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n container(s) stopped.</source>
        <translation>
            <numerusform>%1: %n Container gestoppt.</numerusform>
            <numerusform>%1: %n Container gestoppt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing of theirs to act on.</source>
        <translation>Nichts von ihm, worauf zu reagieren wäre.</translation>
    </message>
</context>
<context>
    <name>opsdeck::Overflow</name>
    <message>
        <source>A credits factor is a number from 0 to 1,000 (credits per dollar of spend).</source>
        <translation>Ein Guthabenfaktor ist eine Zahl von 0 bis 1.000 (Guthaben je Dollar Ausgaben).</translation>
    </message>
    <message>
        <source>%1 credits</source>
        <translation>%1 Guthaben</translation>
    </message>
    <message>
        <source>The overflow of %1 for the period ending %2 is settled already.</source>
        <translation>Der Überlauf von %1 für den Zeitraum bis %2 ist bereits beglichen.</translation>
    </message>
    <message>
        <source>A settlement needs a reference: the invoice, credit note or ticket that settles it.</source>
        <translation>Ein Ausgleich braucht eine Referenz: die Rechnung, Gutschrift oder das Ticket, das ihn begleicht.</translation>
    </message>
    <message>
        <source>The reference is longer than 200 characters.</source>
        <translation>Die Referenz ist länger als 200 Zeichen.</translation>
    </message>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation>Der Kommentar ist länger als 2.000 Zeichen.</translation>
    </message>
    <message>
        <source>Reading the overflow ledger</source>
        <translation>Überlauf-Journal wird gelesen</translation>
    </message>
    <message>
        <source>Reading the credits factors</source>
        <translation>Guthabenfaktoren werden gelesen</translation>
    </message>
    <message>
        <source>settled</source>
        <translation>beglichen</translation>
    </message>
    <message>
        <source>partly settled</source>
        <translation>teilweise beglichen</translation>
    </message>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
</context>
<context>
    <name>opsdeck::Pane</name>
    <message>
        <source>%1: not synced yet</source>
        <translation>%1: noch nicht synchronisiert</translation>
    </message>
    <message>
        <source>%1: last sync failed (%2)</source>
        <translation>%1: letzte Synchronisierung fehlgeschlagen (%2)</translation>
    </message>
    <message>
        <source>%1: synced %2</source>
        <translation>%1: synchronisiert %2</translation>
    </message>
    <message>
        <source>To start, add a connection (%1) with &lt;b&gt;File › Connections…&lt;/b&gt; (Ctrl+,).</source>
        <translation>Fügen Sie zum Start eine Verbindung (%1) hinzu über &lt;b&gt;Datei › Verbindungen…&lt;/b&gt; (Strg+,).</translation>
    </message>
    <message>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <source>Add a %1 connection…</source>
        <translation>%1-Verbindung hinzufügen…</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) feed this pane: Refresh (F5) reads them now.</source>
        <translation>
            <numerusform>%n Verbindung speist diesen Bereich: Aktualisieren (F5) liest sie jetzt.</numerusform>
            <numerusform>%n Verbindungen speisen diesen Bereich: Aktualisieren (F5) liest sie jetzt.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::PeopleActionDialog</name>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 und %n weitere</numerusform>
            <numerusform>%1 und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>Change the Role</source>
        <translation>Rolle ändern</translation>
    </message>
    <message>
        <source>The new role of %1:</source>
        <translation>Die neue Rolle von %1:</translation>
    </message>
    <message>
        <source>&amp;Change Role</source>
        <translation>Rolle &amp;ändern</translation>
    </message>
    <message>
        <source>Deactivate People</source>
        <translation>Personen deaktivieren</translation>
    </message>
    <message numerus="yes">
        <source>Deactivate %n person(s): %1. They can no longer sign in to the workspace, and every action in their name is refused. Each one is recorded in the audit log with your comment.</source>
        <translation>
            <numerusform>%n Person deaktivieren: %1. Sie kann sich nicht mehr am Arbeitsbereich anmelden, und jede Aktion in ihrem Namen wird abgelehnt. Jede Deaktivierung wird mit Ihrem Kommentar im Audit-Log festgehalten.</numerusform>
            <numerusform>%n Personen deaktivieren: %1. Sie können sich nicht mehr am Arbeitsbereich anmelden, und jede Aktion in ihrem Namen wird abgelehnt. Jede Deaktivierung wird mit Ihrem Kommentar im Audit-Log festgehalten.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>&amp;Deaktivieren</translation>
    </message>
    <message>
        <source>Reactivate People</source>
        <translation>Personen reaktivieren</translation>
    </message>
    <message numerus="yes">
        <source>Reactivate %n person(s): %1.</source>
        <translation>
            <numerusform>%n Person reaktivieren: %1.</numerusform>
            <numerusform>%n Personen reaktivieren: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Reactivate</source>
        <translation>&amp;Reaktivieren</translation>
    </message>
    <message>
        <source>&amp;Why (required; it goes into the audit log):</source>
        <translation>&amp;Warum (erforderlich; geht ins Audit-Log):</translation>
    </message>
    <message>
        <source>&amp;Comment for the audit log (optional):</source>
        <translation>&amp;Kommentar für das Audit-Log (optional):</translation>
    </message>
    <message>
        <source>Select the people first.</source>
        <translation>Wählen Sie zuerst die Personen.</translation>
    </message>
    <message>
        <source>Say why: the comment goes into each person&apos;s audit event.</source>
        <translation>Sagen Sie, warum: Der Kommentar geht in das Audit-Ereignis jeder Person.</translation>
    </message>
</context>
<context>
    <name>opsdeck::PeopleChanges</name>
    <message>
        <source>%1: nobody changes their own role</source>
        <translation>%1: Niemand ändert die eigene Rolle</translation>
    </message>
    <message>
        <source>%1: nobody deactivates themselves</source>
        <translation>%1: Niemand deaktiviert sich selbst</translation>
    </message>
    <message>
        <source>%1: %2 is a person of this workspace already.</source>
        <translation>%1: %2 ist bereits eine Person dieses Arbeitsbereichs.</translation>
    </message>
    <message>
        <source>%1: only %2 links their own GitHub login</source>
        <translation>%1: Nur %2 verknüpft den eigenen GitHub-Login</translation>
    </message>
</context>
<context>
    <name>opsdeck::PeopleModel</name>
    <message>
        <source>Login</source>
        <translation>Login</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>GitHub</source>
        <translation>GitHub</translation>
    </message>
    <message>
        <source>Runners</source>
        <translation>Runner</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <source>Last reviewed</source>
        <translation>Zuletzt geprüft</translation>
    </message>
    <message>
        <source>Other systems</source>
        <translation>Andere Systeme</translation>
    </message>
    <message>
        <source>superuser</source>
        <translation>Superuser</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>user</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>deaktiviert</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
</context>
<context>
    <name>opsdeck::PermissionGate</name>
    <message>
        <source>%1 — not allowed: %2</source>
        <translation>%1 — nicht erlaubt: %2</translation>
    </message>
</context>
<context>
    <name>opsdeck::Permissions</name>
    <message>
        <source>Reading who acts on this desktop</source>
        <translation>Wird gelesen, wer auf diesem Desktop handelt</translation>
    </message>
    <message>
        <source>This desktop&apos;s own workspace: its admin may do everything.</source>
        <translation>Der eigene Arbeitsbereich dieses Desktops: Sein Admin darf alles.</translation>
    </message>
    <message>
        <source>%1 is not a person of the workspace.</source>
        <translation>%1 ist keine Person des Arbeitsbereichs.</translation>
    </message>
    <message>
        <source>Reading the grants</source>
        <translation>Berechtigungen werden gelesen</translation>
    </message>
    <message>
        <source>Refused by the workspace&apos;s permissions: %1</source>
        <translation>Von den Berechtigungen des Arbeitsbereichs abgelehnt: %1</translation>
    </message>
    <message>
        <source>role %1</source>
        <translation>Rolle %1</translation>
    </message>
    <message>
        <source>person %1</source>
        <translation>Person %1</translation>
    </message>
    <message>
        <source>allow %1</source>
        <translation>erlaube %1</translation>
    </message>
    <message>
        <source>deny %1</source>
        <translation>verweigere %1</translation>
    </message>
    <message>
        <source>everywhere</source>
        <translation>überall</translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>auf %1</translation>
    </message>
    <message>
        <source> (default)</source>
        <translation> (Standard)</translation>
    </message>
    <message>
        <source> (grant %1, by %2)</source>
        <translation> (Berechtigung %1, von %2)</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message>
        <source>%1 is deactivated: nothing is done in their name.</source>
        <translation>%1 ist deaktiviert: Nichts wird in seinem Namen getan.</translation>
    </message>
    <message>
        <source>%1 may not %2: denied by %3 (a deny wins over any allow).</source>
        <translation>%1 darf nicht %2: verweigert durch %3 (ein Verweigern hat Vorrang vor jedem Erlauben).</translation>
    </message>
    <message>
        <source>%1 may %2: allowed by %3.</source>
        <translation>%1 darf %2: erlaubt durch %3.</translation>
    </message>
    <message>
        <source>%1 may not %2: no grant for the role %3 or for them allows it.</source>
        <translation>%1 darf nicht %2: Keine Berechtigung für die Rolle %3 oder für die Person erlaubt es.</translation>
    </message>
</context>
<context>
    <name>opsdeck::PersonActivityModel</name>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Wo</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Runner</source>
        <translation>Runner</translation>
    </message>
    <message>
        <source>Deployment</source>
        <translation>Deployment</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
</context>
<context>
    <name>opsdeck::PersonChange</name>
    <message>
        <source>&quot;%1&quot; is not a workspace login: lower-case letters, digits and &apos;_&apos;, starting with a letter or &apos;_&apos;, at most 63.</source>
        <translation>„%1“ ist kein Login des Arbeitsbereichs: Kleinbuchstaben, Ziffern und &apos;_&apos;, beginnend mit Buchstabe oder &apos;_&apos;, höchstens 63.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a role: user, admin or superuser.</source>
        <translation>„%1“ ist keine Rolle: user, admin oder superuser.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an email address.</source>
        <translation>„%1“ ist keine E-Mail-Adresse.</translation>
    </message>
    <message>
        <source>The email address is longer than 254 characters.</source>
        <translation>Die E-Mail-Adresse ist länger als 254 Zeichen.</translation>
    </message>
    <message>
        <source>The name is one line of at most 200 characters.</source>
        <translation>Der Name ist eine Zeile von höchstens 200 Zeichen.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a GitHub login: letters, digits and single hyphens, not at either end, at most 39.</source>
        <translation>„%1“ ist kein GitHub-Login: Buchstaben, Ziffern und einzelne Bindestriche, nicht am Anfang oder Ende, höchstens 39.</translation>
    </message>
    <message>
        <source>Say why %1 is deactivated: the comment goes into the audit log.</source>
        <translation>Sagen Sie, warum %1 deaktiviert wird: Der Kommentar geht ins Audit-Log.</translation>
    </message>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation>Der Kommentar ist länger als 2.000 Zeichen.</translation>
    </message>
    <message>
        <source>A Harbor user name is one word of at most 255 characters.</source>
        <translation>Ein Harbor-Benutzername ist ein Wort von höchstens 255 Zeichen.</translation>
    </message>
    <message>
        <source>A LiteLLM user id is one word of at most 255 characters.</source>
        <translation>Eine LiteLLM-Benutzer-ID ist ein Wort von höchstens 255 Zeichen.</translation>
    </message>
    <message>
        <source>No GitHub login to link.</source>
        <translation>Kein GitHub-Login zum Verknüpfen.</translation>
    </message>
    <message>
        <source>An OIDC subject is at most 255 printable ASCII characters, without spaces.</source>
        <translation>Ein OIDC-Subjekt besteht aus höchstens 255 druckbaren ASCII-Zeichen ohne Leerzeichen.</translation>
    </message>
    <message>
        <source>Add %1 as %2</source>
        <translation>%1 als %2 hinzufügen</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>%1 bearbeiten</translation>
    </message>
    <message>
        <source>Make %1 %2</source>
        <translation>%1 zu %2 machen</translation>
    </message>
    <message>
        <source>Deactivate %1</source>
        <translation>%1 deaktivieren</translation>
    </message>
    <message>
        <source>Reactivate %1</source>
        <translation>%1 reaktivieren</translation>
    </message>
    <message>
        <source>Link the GitHub login %1 to %2</source>
        <translation>Den GitHub-Login %1 mit %2 verknüpfen</translation>
    </message>
</context>
<context>
    <name>opsdeck::PersonDialog</name>
    <message>
        <source>User: provisions just-in-time runners, removes their own</source>
        <translation>Benutzer: stellt Just-in-time-Runner bereit, entfernt die eigenen</translation>
    </message>
    <message>
        <source>Admin: everything but managing superusers</source>
        <translation>Admin: alles außer der Verwaltung von Superusern</translation>
    </message>
    <message>
        <source>Superuser: everything (two at most)</source>
        <translation>Superuser: alles (höchstens zwei)</translation>
    </message>
    <message>
        <source>Add a Person</source>
        <translation>Person hinzufügen</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>%1 bearbeiten</translation>
    </message>
    <message>
        <source>lower-case, e.g. ada_lovelace</source>
        <translation>kleingeschrieben, z. B. ada_lovelace</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>their Harbor user name, if they have one</source>
        <translation>ihr Harbor-Benutzername, falls vorhanden</translation>
    </message>
    <message>
        <source>their LiteLLM user id, if they have one</source>
        <translation>ihre LiteLLM-Benutzer-ID, falls vorhanden</translation>
    </message>
    <message>
        <source>the subject (sub) your identity provider gives them, if any</source>
        <translation>das Subjekt (sub), das Ihr Identitätsanbieter ihr gibt, falls vorhanden</translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation>&amp;Login:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>&amp;GitHub login:</source>
        <translation>&amp;GitHub-Login:</translation>
    </message>
    <message>
        <source>&amp;Harbor user:</source>
        <translation>&amp;Harbor-Benutzer:</translation>
    </message>
    <message>
        <source>&amp;LiteLLM user ID:</source>
        <translation>&amp;LiteLLM-Benutzer-ID:</translation>
    </message>
    <message>
        <source>&amp;OIDC subject:</source>
        <translation>&amp;OIDC-Subjekt:</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>&amp;Rolle:</translation>
    </message>
    <message>
        <source>optional: none for a client certificate</source>
        <translation>optional: keins bei einem Client-Zertifikat</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Re&amp;peat:</source>
        <translation>&amp;Wiederholen:</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>A login names the person in the workspace and in PostgreSQL.</source>
        <translation>Ein Login benennt die Person im Arbeitsbereich und in PostgreSQL.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Die beiden Passwörter unterscheiden sich.</translation>
    </message>
</context>
<context>
    <name>opsdeck::PoliciesTab</name>
    <message>
        <source>Policies in the workspace</source>
        <translation>Richtlinien im Arbeitsbereich</translation>
    </message>
    <message>
        <source>Budget policies</source>
        <translation>Budget-Richtlinien</translation>
    </message>
    <message>
        <source>S&amp;et Policy…</source>
        <translation>Richtlinie &amp;festlegen…</translation>
    </message>
    <message>
        <source>Set model access, guardrails or a feature flag for an account, group, team or user</source>
        <translation>Modellzugriff, Guardrails oder ein Feature-Flag für ein Konto, eine Gruppe, ein Team oder einen Benutzer festlegen</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>Ent&amp;fernen…</translation>
    </message>
    <message>
        <source>Team &amp;Group…</source>
        <translation>Team-&amp;Gruppe…</translation>
    </message>
    <message>
        <source>Put a team in a group, whose policies its teams take</source>
        <translation>Ein Team in eine Gruppe aufnehmen, deren Richtlinien ihre Teams übernehmen</translation>
    </message>
    <message>
        <source>Effective policy</source>
        <translation>Wirksame Richtlinie</translation>
    </message>
    <message>
        <source>F&amp;or:</source>
        <translation>F&amp;ür:</translation>
    </message>
    <message>
        <source>On the proxy</source>
        <translation>Auf dem Proxy</translation>
    </message>
    <message>
        <source>Policy drift</source>
        <translation>Richtlinien-Abweichung</translation>
    </message>
    <message>
        <source>A&amp;pply…</source>
        <translation>An&amp;wenden…</translation>
    </message>
    <message>
        <source>Bring the selected drifted teams and keys (or all of them) in line: a dry run first, then the updates</source>
        <translation>Die ausgewählten abweichenden Teams und Schlüssel (oder alle) in Einklang bringen: zuerst ein Probelauf, dann die Änderungen</translation>
    </message>
    <message numerus="yes">
        <source>%n policy change(s) made.</source>
        <translation>
            <numerusform>%n Richtlinienänderung vorgenommen.</numerusform>
            <numerusform>%n Richtlinienänderungen vorgenommen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n update(s) applied to the proxy.</source>
        <translation>
            <numerusform>%n Änderung auf den Proxy angewendet.</numerusform>
            <numerusform>%n Änderungen auf den Proxy angewendet.</numerusform>
        </translation>
    </message>
    <message>
        <source>No workspace is open: policies cannot change here</source>
        <translation>Kein Arbeitsbereich ist geöffnet: Richtlinien können hier nicht geändert werden</translation>
    </message>
    <message>
        <source>No team or key is under a model or guardrail policy yet.</source>
        <translation>Noch steht kein Team und kein Schlüssel unter einer Modell- oder Guardrail-Richtlinie.</translation>
    </message>
    <message numerus="yes">
        <source>All %n team(s) and key(s) under a policy are as it says.</source>
        <translation>
            <numerusform>%n Team oder Schlüssel unter einer Richtlinie entspricht ihr.</numerusform>
            <numerusform>Alle %n Teams und Schlüssel unter einer Richtlinie entsprechen ihr.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 teams and keys under a policy differ from it on the proxy.</source>
        <translation>%1 von %2 Teams und Schlüsseln unter einer Richtlinie weichen auf dem Proxy davon ab.</translation>
    </message>
    <message>
        <source>No workspace is open: policies cannot change here.</source>
        <translation>Kein Arbeitsbereich ist geöffnet: Richtlinien können hier nicht geändert werden.</translation>
    </message>
    <message numerus="yes">
        <source>Sending %n change(s) to the workspace…</source>
        <translation>
            <numerusform>%n Änderung wird an den Arbeitsbereich gesendet…</numerusform>
            <numerusform>%n Änderungen werden an den Arbeitsbereich gesendet…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sending %n update(s) to the proxy…</source>
        <translation>
            <numerusform>%n Änderung wird an den Proxy gesendet…</numerusform>
            <numerusform>%n Änderungen werden an den Proxy gesendet…</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove Policies</source>
        <translation>Richtlinien entfernen</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n policy item(s)? Where a broader scope sets the item, it decides again.</source>
        <translation>
            <numerusform>%n Richtlinienpunkt entfernen? Wo ein breiterer Bereich den Punkt festlegt, entscheidet wieder dieser.</numerusform>
            <numerusform>%n Richtlinienpunkte entfernen? Wo ein breiterer Bereich den Punkt festlegt, entscheidet wieder dieser.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>No LiteLLM connection has synced teams yet.</source>
        <translation>Noch keine LiteLLM-Verbindung hat Teams synchronisiert.</translation>
    </message>
</context>
<context>
    <name>opsdeck::PolicyDialog</name>
    <message>
        <source>Label policy</source>
        <translation>Label-Richtlinie</translation>
    </message>
    <message>
        <source>One pattern per line: team-* (glob) or re:^gpu-[0-9]+$ (regular expression). Empty: any custom label.</source>
        <translation>Ein Muster je Zeile: team-* (Glob) oder re:^gpu-[0-9]+$ (regulärer Ausdruck). Leer: jedes eigene Label.</translation>
    </message>
    <message>
        <source>Allow just-in-time runners</source>
        <translation>Just-in-time-Runner erlauben</translation>
    </message>
    <message>
        <source>Allow registration tokens</source>
        <translation>Registrierungs-Tokens erlauben</translation>
    </message>
    <message>
        <source>Require ephemeral runners</source>
        <translation>Kurzlebige Runner verlangen</translation>
    </message>
    <message>
        <source>Also delete busy drifted runners</source>
        <translation>Auch beschäftigte abweichende Runner löschen</translation>
    </message>
    <message>
        <source>Allowed custom &amp;labels:</source>
        <translation>Erlaubte eigene &amp;Labels:</translation>
    </message>
    <message>
        <source>&amp;Required labels:</source>
        <translation>&amp;Erforderliche Labels:</translation>
    </message>
    <message>
        <source>&amp;Forbidden labels:</source>
        <translation>&amp;Verbotene Labels:</translation>
    </message>
</context>
<context>
    <name>opsdeck::PolicyModels</name>
    <message>
        <source>Reading the budget policies</source>
        <translation>Budget-Richtlinien werden gelesen</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>For</source>
        <translation>Für</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Punkt</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>Changed by</source>
        <translation>Geändert von</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>(unreadable: %1)</source>
        <translation>(unlesbar: %1)</translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s users</source>
        <translation>Benutzer des Proxys werden gelesen</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>Own keys (no team)</source>
        <translation>Eigene Schlüssel (kein Team)</translation>
    </message>
    <message>
        <source>In team %1</source>
        <translation>Im Team %1</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Wo</translation>
    </message>
    <message>
        <source>Effective</source>
        <translation>Wirksam</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>Entschieden durch</translation>
    </message>
    <message>
        <source>Overrides</source>
        <translation>Überschreibt</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Models on the proxy</source>
        <translation>Modelle auf dem Proxy</translation>
    </message>
    <message>
        <source>Policy: models</source>
        <translation>Richtlinie: Modelle</translation>
    </message>
    <message>
        <source>Policy: guardrails</source>
        <translation>Richtlinie: Guardrails</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>every model</source>
        <translation>jedes Modell</translation>
    </message>
    <message>
        <source>Drifted: %1</source>
        <translation>Abweichend: %1</translation>
    </message>
    <message>
        <source>As the policy says</source>
        <translation>Wie die Richtlinie sagt</translation>
    </message>
    <message>
        <source>Reading the accounts&apos; credits factors</source>
        <translation>Guthabenfaktoren der Konten werden gelesen</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Spend</source>
        <translation>Ausgaben</translation>
    </message>
    <message>
        <source>Max budget</source>
        <translation>Max. Budget</translation>
    </message>
    <message>
        <source>Factor</source>
        <translation>Faktor</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>Guthaben</translation>
    </message>
    <message>
        <source>%1 × %2 = %3</source>
        <translation>%1 × %2 = %3</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>Reading the accounts</source>
        <translation>Konten werden gelesen</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>Overflow</source>
        <translation>Überlauf</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>Beglichen</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>Settled by</source>
        <translation>Beglichen von</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>until %1</source>
        <translation>bis %1</translation>
    </message>
    <message>
        <source>The budget period that ends %1 (UTC)</source>
        <translation>Der Budgetzeitraum, der am %1 (UTC) endet</translation>
    </message>
    <message>
        <source>Settled %1 by %2: %3</source>
        <translation>Beglichen %1 von %2: %3</translation>
    </message>
    <message>
        <source>the team&apos;s models</source>
        <translation>die Modelle des Teams</translation>
    </message>
</context>
<context>
    <name>opsdeck::Probes</name>
    <message>
        <source>The connection &quot;%1&quot; has no secret: enter its %2.</source>
        <translation>Die Verbindung „%1“ hat kein Geheimnis: Geben Sie ihr %2 ein.</translation>
    </message>
    <message>
        <source>password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>private key</source>
        <translation>privater Schlüssel</translation>
    </message>
    <message>
        <source>token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Pinging the Docker engine</source>
        <translation>Die Docker-Engine wird angepingt</translation>
    </message>
    <message>
        <source>Listing the GitHub App&apos;s installations</source>
        <translation>Installationen der GitHub App werden aufgelistet</translation>
    </message>
    <message>
        <source>Asking GitHub who this token belongs to</source>
        <translation>GitHub wird gefragt, wem dieses Token gehört</translation>
    </message>
    <message>
        <source>Checking the registry API</source>
        <translation>Registry-API wird geprüft</translation>
    </message>
    <message>
        <source>Asking Harbor for the current user</source>
        <translation>Harbor wird nach dem aktuellen Benutzer gefragt</translation>
    </message>
    <message>
        <source>Asking LiteLLM about this key</source>
        <translation>LiteLLM wird nach diesem Schlüssel gefragt</translation>
    </message>
    <message>
        <source>Listing Cloudflare tunnels</source>
        <translation>Cloudflare-Tunnel werden aufgelistet</translation>
    </message>
    <message>
        <source>The Docker engine answered.</source>
        <translation>Die Docker-Engine hat geantwortet.</translation>
    </message>
    <message>
        <source>The Docker engine answered (API version %1).</source>
        <translation>Die Docker-Engine hat geantwortet (API-Version %1).</translation>
    </message>
    <message>
        <source>The GitHub App is valid.</source>
        <translation>Die GitHub App ist gültig.</translation>
    </message>
    <message>
        <source>Signed in to GitHub as %1.</source>
        <translation>Bei GitHub angemeldet als %1.</translation>
    </message>
    <message>
        <source>GitHub accepted the token.</source>
        <translation>GitHub hat das Token akzeptiert.</translation>
    </message>
    <message>
        <source>The registry speaks the OCI distribution API.</source>
        <translation>Die Registry spricht die OCI-Distribution-API.</translation>
    </message>
    <message>
        <source>Signed in to Harbor as %1.</source>
        <translation>Bei Harbor angemeldet als %1.</translation>
    </message>
    <message>
        <source>Harbor accepted the credentials.</source>
        <translation>Harbor hat die Zugangsdaten akzeptiert.</translation>
    </message>
    <message>
        <source>LiteLLM accepted the key.</source>
        <translation>LiteLLM hat den Schlüssel akzeptiert.</translation>
    </message>
    <message>
        <source>Cloudflare accepted the token.</source>
        <translation>Cloudflare hat das Token akzeptiert.</translation>
    </message>
    <message>
        <source>Cloudflare answered.</source>
        <translation>Cloudflare hat geantwortet.</translation>
    </message>
    <message>
        <source>GitHub&apos;s list of App installations is not a JSON array.</source>
        <translation>Die Liste der App-Installationen von GitHub ist kein JSON-Array.</translation>
    </message>
    <message>
        <source>GitHub sent an App installation without an &quot;id&quot;.</source>
        <translation>GitHub hat eine App-Installation ohne „id“ gesendet.</translation>
    </message>
</context>
<context>
    <name>opsdeck::ProjectsModel</name>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>Managers</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>Entries</source>
        <translation>Einträge</translation>
    </message>
    <message>
        <source>Harbor project</source>
        <translation>Harbor-Projekt</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Laufend</translation>
    </message>
</context>
<context>
    <name>opsdeck::QuickServiceDialog</name>
    <message>
        <source>%1, line %2: write NAME=value.</source>
        <translation>%1, Zeile %2: Schreiben Sie NAME=Wert.</translation>
    </message>
    <message>
        <source>Quick service</source>
        <translation>Schnelldienst</translation>
    </message>
    <message>
        <source>No tunnel route</source>
        <translation>Keine Tunnel-Route</translation>
    </message>
    <message>
        <source>app.example.com</source>
        <translation>app.example.com</translation>
    </message>
    <message>
        <source>excalidraw/excalidraw:latest</source>
        <translation>excalidraw/excalidraw:latest</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>&amp;Choose a free host port</source>
        <translation>Einen freien Host-Port &amp;wählen</translation>
    </message>
    <message>
        <source>optional, e.g. --port 3000 (no shell)</source>
        <translation>optional, z. B. --port 3000 (ohne Shell)</translation>
    </message>
    <message>
        <source>NAME=value, one per line</source>
        <translation>NAME=Wert, einer je Zeile</translation>
    </message>
    <message>
        <source>Values are not stored with the job: Redeploy after a restart asks for them again</source>
        <translation>Werte werden nicht mit dem Job gespeichert: Erneut bereitstellen fragt nach einem Neustart wieder danach</translation>
    </message>
    <message>
        <source>key=value, one per line</source>
        <translation>key=value, einer je Zeile</translation>
    </message>
    <message>
        <source>Unless stopped</source>
        <translation>Außer wenn gestoppt</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>Immer</translation>
    </message>
    <message>
        <source>On failure</source>
        <translation>Bei Fehler</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>&amp;Deploy</source>
        <translation>&amp;Bereitstellen</translation>
    </message>
    <message>
        <source>Docker &amp;host:</source>
        <translation>Docker-&amp;Host:</translation>
    </message>
    <message>
        <source>&amp;Image:</source>
        <translation>&amp;Image:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Container &amp;port:</source>
        <translation>Container-&amp;Port:</translation>
    </message>
    <message>
        <source>Co&amp;mmand:</source>
        <translation>Be&amp;fehl:</translation>
    </message>
    <message>
        <source>&amp;Environment:</source>
        <translation>&amp;Umgebung:</translation>
    </message>
    <message>
        <source>&amp;Labels:</source>
        <translation>&amp;Labels:</translation>
    </message>
    <message>
        <source>&amp;Restart:</source>
        <translation>&amp;Neustart:</translation>
    </message>
    <message>
        <source>&amp;Tunnel:</source>
        <translation>&amp;Tunnel:</translation>
    </message>
    <message>
        <source>Host&amp;name:</source>
        <translation>Host&amp;name:</translation>
    </message>
    <message>
        <source>Add a Docker connection first.</source>
        <translation>Fügen Sie zuerst eine Docker-Verbindung hinzu.</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Umgebung</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>%1 (from the image; -2, -3… if taken)</source>
        <translation>%1 (aus dem Image; -2, -3… falls belegt)</translation>
    </message>
    <message>
        <source>from the image</source>
        <translation>aus dem Image</translation>
    </message>
    <message>
        <source>Container port</source>
        <translation>Container-Port</translation>
    </message>
    <message>
        <source>Host port</source>
        <translation>Host-Port</translation>
    </message>
</context>
<context>
    <name>opsdeck::QuickSwitcher</name>
    <message>
        <source>Go to</source>
        <translation>Gehe zu</translation>
    </message>
    <message>
        <source>Go to a pane or a connection…</source>
        <translation>Zu einem Bereich oder einer Verbindung gehen…</translation>
    </message>
    <message>
        <source>Panes and connections</source>
        <translation>Bereiche und Verbindungen</translation>
    </message>
</context>
<context>
    <name>opsdeck::RegistryAnswers</name>
    <message>
        <source>%1 does not have the documented shape: %2.</source>
        <translation>%1 hat nicht die dokumentierte Form: %2.</translation>
    </message>
    <message>
        <source>Harbor&apos;s answer does not have the documented shape: %1.</source>
        <translation>Die Antwort von Harbor hat nicht die dokumentierte Form: %1.</translation>
    </message>
    <message>
        <source>the CVE allowlist&apos;s &quot;items&quot; is not a list</source>
        <translation>die „items“ der CVE-Freigabeliste sind keine Liste</translation>
    </message>
    <message>
        <source>a CVE allowlist item has no usable &quot;cve_id&quot;</source>
        <translation>ein Element der CVE-Freigabeliste hat keine verwendbare „cve_id“</translation>
    </message>
    <message>
        <source>The registry&apos;s token server&apos;s answer</source>
        <translation>Die Antwort des Token-Servers der Registry</translation>
    </message>
    <message>
        <source>it has neither &quot;token&quot; nor &quot;access_token&quot;</source>
        <translation>sie hat weder „token“ noch „access_token“</translation>
    </message>
    <message>
        <source>the token has characters a header cannot carry</source>
        <translation>das Token enthält Zeichen, die ein Header nicht tragen kann</translation>
    </message>
    <message>
        <source>The registry&apos;s catalog</source>
        <translation>Der Katalog der Registry</translation>
    </message>
    <message>
        <source>&quot;repositories&quot; is not a list</source>
        <translation>„repositories“ ist keine Liste</translation>
    </message>
    <message>
        <source>it lists more names than any page holds</source>
        <translation>er nennt mehr Namen, als eine Seite fasst</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a repository name</source>
        <translation>„%1“ ist kein Repository-Name</translation>
    </message>
    <message>
        <source>The tag list of %1</source>
        <translation>Die Tag-Liste von %1</translation>
    </message>
    <message>
        <source>it names another repository (&quot;%1&quot;)</source>
        <translation>sie nennt ein anderes Repository („%1“)</translation>
    </message>
    <message>
        <source>&quot;tags&quot; is not a list</source>
        <translation>„tags“ ist keine Liste</translation>
    </message>
    <message>
        <source>it lists more tags than any page holds</source>
        <translation>sie nennt mehr Tags, als eine Seite fasst</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a tag</source>
        <translation>„%1“ ist kein Tag</translation>
    </message>
    <message>
        <source>The registry&apos;s manifest</source>
        <translation>Das Manifest der Registry</translation>
    </message>
    <message>
        <source>its Content-Type (%1) and mediaType (%2) disagree</source>
        <translation>sein Content-Type (%1) und sein mediaType (%2) widersprechen sich</translation>
    </message>
    <message>
        <source>The registry answered with a manifest of a kind Opsdeck does not read (%1).</source>
        <translation>Die Registry hat mit einem Manifest einer Art geantwortet, die Opsdeck nicht liest (%1).</translation>
    </message>
    <message>
        <source>&quot;schemaVersion&quot; is not 2</source>
        <translation>„schemaVersion“ ist nicht 2</translation>
    </message>
    <message>
        <source>a descriptor has no valid digest</source>
        <translation>ein Deskriptor hat keinen gültigen Digest</translation>
    </message>
    <message>
        <source>a descriptor has no valid size</source>
        <translation>ein Deskriptor hat keine gültige Größe</translation>
    </message>
    <message>
        <source>&quot;manifests&quot; is not a list</source>
        <translation>„manifests“ ist keine Liste</translation>
    </message>
    <message>
        <source>&quot;layers&quot; is not a list</source>
        <translation>„layers“ ist keine Liste</translation>
    </message>
    <message>
        <source>the layers&apos; sizes overflow</source>
        <translation>die Größen der Layer laufen über</translation>
    </message>
    <message>
        <source>Harbor&apos;s project list</source>
        <translation>Projektliste von Harbor</translation>
    </message>
    <message>
        <source>a project has no usable &quot;project_id&quot; and &quot;name&quot;</source>
        <translation>ein Projekt hat kein verwendbares „project_id“ und „name“</translation>
    </message>
    <message>
        <source>the project %1 has an unknown severity &quot;%2&quot;</source>
        <translation>das Projekt %1 hat einen unbekannten Schweregrad „%2“</translation>
    </message>
    <message>
        <source>Harbor&apos;s repository list</source>
        <translation>Repository-Liste von Harbor</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a repository name of a project</source>
        <translation>„%1“ ist kein Repository-Name eines Projekts</translation>
    </message>
    <message>
        <source>Harbor&apos;s artifact list</source>
        <translation>Artefaktliste von Harbor</translation>
    </message>
    <message>
        <source>an artifact has no valid digest</source>
        <translation>ein Artefakt hat keinen gültigen Digest</translation>
    </message>
    <message>
        <source>an artifact&apos;s &quot;tags&quot; is not a list</source>
        <translation>die „tags“ eines Artefakts sind keine Liste</translation>
    </message>
    <message>
        <source>Harbor&apos;s vulnerability report</source>
        <translation>Schwachstellenbericht von Harbor</translation>
    </message>
    <message>
        <source>the report&apos;s &quot;vulnerabilities&quot; is not a list</source>
        <translation>die „vulnerabilities“ des Berichts sind keine Liste</translation>
    </message>
    <message>
        <source>a vulnerability has no &quot;id&quot;</source>
        <translation>eine Schwachstelle hat keine „id“</translation>
    </message>
    <message>
        <source>Harbor&apos;s CVE allowlist</source>
        <translation>CVE-Freigabeliste von Harbor</translation>
    </message>
    <message>
        <source>Docker v2 schema 2</source>
        <translation>Docker v2 Schema 2</translation>
    </message>
    <message>
        <source>OCI image</source>
        <translation>OCI-Image</translation>
    </message>
    <message>
        <source>OCI index</source>
        <translation>OCI-Index</translation>
    </message>
    <message>
        <source>Docker manifest list</source>
        <translation>Docker-Manifestliste</translation>
    </message>
</context>
<context>
    <name>opsdeck::RegistryIndex</name>
    <message>
        <source>Cannot read the synced registries: %1</source>
        <translation>Die synchronisierten Registrys können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1 is not in the registry</source>
        <translation>%1 ist nicht in der Registry</translation>
    </message>
    <message>
        <source>%1 has no manifest %2</source>
        <translation>%1 hat kein Manifest %2</translation>
    </message>
    <message>
        <source>the tag %1 is not in %2</source>
        <translation>das Tag %1 ist nicht in %2</translation>
    </message>
    <message>
        <source>%1 pointed at %2 when approved, now at %3</source>
        <translation>%1 zeigte bei der Genehmigung auf %2, jetzt auf %3</translation>
    </message>
    <message>
        <source>Not in a synced registry</source>
        <translation>Nicht in einer synchronisierten Registry</translation>
    </message>
    <message>
        <source>In the registry</source>
        <translation>In der Registry</translation>
    </message>
    <message>
        <source>Repository gone</source>
        <translation>Repository weg</translation>
    </message>
    <message>
        <source>Tag gone</source>
        <translation>Tag weg</translation>
    </message>
    <message>
        <source>Digest moved since approval</source>
        <translation>Digest seit Genehmigung verschoben</translation>
    </message>
</context>
<context>
    <name>opsdeck::RegistryService</name>
    <message>
        <source>Cannot keep the vulnerability report of %1 in the cache: %2</source>
        <translation>Der Schwachstellenbericht von %1 kann nicht im Cache gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Listing the Harbor projects of %1</source>
        <translation>Harbor-Projekte von %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>%1 is a plain registry: it keeps no vulnerability scans.</source>
        <translation>%1 ist eine einfache Registry: Sie führt keine Schwachstellen-Scans.</translation>
    </message>
    <message>
        <source>&quot;%1@%2&quot; is not an artifact of a Harbor project.</source>
        <translation>„%1@%2“ ist kein Artefakt eines Harbor-Projekts.</translation>
    </message>
    <message>
        <source>Reading the vulnerability report of %1</source>
        <translation>Schwachstellenbericht von %1 wird gelesen</translation>
    </message>
    <message>
        <source>Cannot keep the vulnerability report in the cache.</source>
        <translation>Der Schwachstellenbericht kann nicht im Cache gespeichert werden.</translation>
    </message>
    <message>
        <source>Only an artifact of a Harbor project can be scanned.</source>
        <translation>Nur ein Artefakt eines Harbor-Projekts kann gescannt werden.</translation>
    </message>
    <message>
        <source>Asking Harbor to scan %1</source>
        <translation>Harbor wird gebeten, %1 zu scannen</translation>
    </message>
    <message>
        <source>Harbor is scanning %1.</source>
        <translation>Harbor scannt %1.</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>Demodaten</translation>
    </message>
    <message>
        <source>Listing the repositories of %1</source>
        <translation>Repositorys von %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>Cannot write the registry&apos;s contents to the cache: %1</source>
        <translation>Der Inhalt der Registry kann nicht in den Cache geschrieben werden: %1</translation>
    </message>
    <message>
        <source>%1 repositories, %2 tags (%3 new, %4 gone)</source>
        <translation>%1 Repositorys, %2 Tags (%3 neu, %4 weg)</translation>
    </message>
</context>
<context>
    <name>opsdeck::RegistrySession</name>
    <message>
        <source>Reading the vulnerability report of %1</source>
        <translation>Schwachstellenbericht von %1 wird gelesen</translation>
    </message>
    <message>
        <source>Listing the artifacts of %1</source>
        <translation>Artefakte von %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>Listing the repositories of the Harbor project %1</source>
        <translation>Repositorys des Harbor-Projekts %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>Reading Harbor&apos;s system CVE allowlist</source>
        <translation>System-CVE-Freigabeliste von Harbor wird gelesen</translation>
    </message>
    <message>
        <source>Resolving %1:%2</source>
        <translation>%1:%2 wird aufgelöst</translation>
    </message>
    <message>
        <source>Listing the tags of %1</source>
        <translation>Tags von %1 werden aufgelistet</translation>
    </message>
    <message>
        <source>Asking %1 for a registry token</source>
        <translation>%1 wird nach einem Registry-Token gefragt</translation>
    </message>
    <message>
        <source>The registry&apos;s token server refused the credentials of %1.</source>
        <translation>Der Token-Server der Registry hat die Zugangsdaten von %1 abgelehnt.</translation>
    </message>
    <message>
        <source>%1 went on for more than %2 pages; stopped there.</source>
        <translation>%1 ging über mehr als %2 Seiten; dort angehalten.</translation>
    </message>
    <message>
        <source>%1: the next page is on another host (%2).</source>
        <translation>%1: Die nächste Seite liegt auf einem anderen Host (%2).</translation>
    </message>
</context>
<context>
    <name>opsdeck::RegistryTagsModel</name>
    <message>
        <source>Registry</source>
        <translation>Registry</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Repository</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Digest</source>
        <translation>Digest</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>Plattformen</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Pushed</source>
        <translation>Gepusht</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Scan</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Befunde</translation>
    </message>
    <message>
        <source>(untagged)</source>
        <translation>(ohne Tag)</translation>
    </message>
    <message>
        <source>not scanned</source>
        <translation>nicht gescannt</translation>
    </message>
</context>
<context>
    <name>opsdeck::RemoveRunnersDialog</name>
    <message>
        <source>Remove runners</source>
        <translation>Runner entfernen</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n runner(s) from GitHub? Say why; the comment goes into the audit log.</source>
        <translation>
            <numerusform>%n Runner aus GitHub entfernen? Sagen Sie, warum; der Kommentar geht ins Audit-Log.</numerusform>
            <numerusform>%n Runner aus GitHub entfernen? Sagen Sie, warum; der Kommentar geht ins Audit-Log.</numerusform>
        </translation>
    </message>
    <message>
        <source>Comment (required)</source>
        <translation>Kommentar (erforderlich)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>entfernt</translation>
    </message>
    <message>
        <source>All %1 removed.</source>
        <translation>Alle %1 entfernt.</translation>
    </message>
    <message>
        <source>%1 removed, %2 failed: see the list.</source>
        <translation>%1 entfernt, %2 fehlgeschlagen: siehe Liste.</translation>
    </message>
    <message>
        <source>Runners to remove</source>
        <translation>Zu entfernende Runner</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
</context>
<context>
    <name>opsdeck::RenewalTab</name>
    <message>
        <source>Next 7 days</source>
        <translation>Nächste 7 Tage</translation>
    </message>
    <message>
        <source>Next 31 days</source>
        <translation>Nächste 31 Tage</translation>
    </message>
    <message>
        <source>Next 3 months</source>
        <translation>Nächste 3 Monate</translation>
    </message>
    <message>
        <source>Next 12 months</source>
        <translation>Nächste 12 Monate</translation>
    </message>
    <message>
        <source>Resets</source>
        <translation>Zurücksetzung</translation>
    </message>
    <message>
        <source>In</source>
        <translation>In</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Cadence</source>
        <translation>Rhythmus</translation>
    </message>
    <message>
        <source>Spend now</source>
        <translation>Ausgaben jetzt</translation>
    </message>
    <message>
        <source>Max budget</source>
        <translation>Max. Budget</translation>
    </message>
    <message>
        <source>Budget renewals</source>
        <translation>Budget-Verlängerungen</translation>
    </message>
    <message>
        <source>No budget resets in the %1.</source>
        <translation>Keine Budget-Rücksetzungen in den %1.</translation>
    </message>
    <message>
        <source>%1 budgets reset in the %2; the spend against them, %3 now, returns to zero. The first: %4 %5, %6.</source>
        <translation>%1 Budgets werden in den %2 zurückgesetzt; die Ausgaben dagegen, jetzt %3, gehen auf null zurück. Das erste: %4 %5, %6.</translation>
    </message>
</context>
<context>
    <name>opsdeck::Retention</name>
    <message>
        <source>A cleanup now would remove nothing: every run is within the limits.</source>
        <translation>Eine Bereinigung würde jetzt nichts entfernen: Jeder Lauf liegt innerhalb der Limits.</translation>
    </message>
    <message>
        <source>Nothing to clean up: every run is within the limits.</source>
        <translation>Nichts zu bereinigen: Jeder Lauf liegt innerhalb der Limits.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) you kept stay although the limits would remove them.</source>
        <translation>
            <numerusform>%n Lauf, den Sie behalten haben, bleibt, obwohl die Limits ihn entfernen würden.</numerusform>
            <numerusform>%n Läufe, die Sie behalten haben, bleiben, obwohl die Limits sie entfernen würden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n Lauf</numerusform>
            <numerusform>%n Läufe</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>with %n artifact folder(s) of %1</source>
        <translation>
            <numerusform>mit %n Artefaktordner von %1</numerusform>
            <numerusform>mit %n Artefaktordnern von %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mock health sample(s)</source>
        <translation>
            <numerusform>%n Zustandsprobe von Mocks</numerusform>
            <numerusform>%n Zustandsproben von Mocks</numerusform>
        </translation>
    </message>
    <message>
        <source>A cleanup now would remove %1.</source>
        <translation>Eine Bereinigung würde jetzt %1 entfernen.</translation>
    </message>
    <message>
        <source>Removed %1.</source>
        <translation>%1 entfernt.</translation>
    </message>
    <message>
        <source> and </source>
        <translation> und </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) stay.</source>
        <translation>
            <numerusform>%n Lauf bleibt.</numerusform>
            <numerusform>%n Läufe bleiben.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::RetentionDialog</name>
    <message>
        <source>Test Run Retention</source>
        <translation>Aufbewahrung von Testläufen</translation>
    </message>
    <message>
        <source>forever</source>
        <translation>für immer</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Runs that started longer ago than this are removed, with their golden artifacts.</source>
        <translation>Läufe, die länger als so lange zurück gestartet sind, werden mit ihren Golden-Artefakten entfernt.</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source> runs</source>
        <translation> Läufe</translation>
    </message>
    <message>
        <source>Of each source, only this many of its newest runs stay.</source>
        <translation>Von jeder Quelle bleiben nur so viele ihrer neuesten Läufe.</translation>
    </message>
    <message>
        <source>Keep runs for:</source>
        <translation>Läufe behalten für:</translation>
    </message>
    <message>
        <source>Keep the newest of each source:</source>
        <translation>Die neuesten jeder Quelle behalten:</translation>
    </message>
    <message>
        <source>Saved limits are applied when Opsdeck starts and after each import. Runs you keep (the run list&apos;s context menu, Keep Through Cleanups) always stay. Mock health samples go with the age limit, but never sooner than the 7-day uptime needs.</source>
        <translation>Gespeicherte Limits werden beim Start von Opsdeck und nach jedem Import angewendet. Läufe, die Sie behalten (Kontextmenü der Laufliste, Bei Bereinigungen behalten), bleiben immer. Zustandsproben von Mocks folgen dem Alterslimit, aber nie früher, als die 7-Tage-Verfügbarkeit es braucht.</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Runs removed</source>
        <translation>Entfernte Läufe</translation>
    </message>
    <message>
        <source>Clean &amp;Up Now</source>
        <translation>Jetzt &amp;bereinigen</translation>
    </message>
    <message>
        <source>Save Retention Limits</source>
        <translation>Aufbewahrungslimits speichern</translation>
    </message>
    <message numerus="yes">
        <source>With these limits the next cleanup removes %n run(s). Save them?</source>
        <translation>
            <numerusform>Mit diesen Limits entfernt die nächste Bereinigung %n Lauf. Speichern?</numerusform>
            <numerusform>Mit diesen Limits entfernt die nächste Bereinigung %n Läufe. Speichern?</numerusform>
        </translation>
    </message>
    <message>
        <source>The preview cannot be made: %1</source>
        <translation>Die Vorschau kann nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>No preview: the test runs&apos; worker is not running.</source>
        <translation>Keine Vorschau: Der Testlauf-Dienst läuft nicht.</translation>
    </message>
    <message>
        <source>Looking at what these limits would remove…</source>
        <translation>Es wird ermittelt, was diese Limits entfernen würden…</translation>
    </message>
    <message>
        <source>Clean Up Test Runs</source>
        <translation>Testläufe bereinigen</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n run(s) now?</source>
        <translation>
            <numerusform>%n Lauf jetzt entfernen?</numerusform>
            <numerusform>%n Läufe jetzt entfernen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Removed runs and their artifacts cannot be brought back. The cleanup is recorded in the audit log.</source>
        <translation>Entfernte Läufe und ihre Artefakte können nicht zurückgeholt werden. Die Bereinigung wird im Audit-Log festgehalten.</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Cleaning up…</source>
        <translation>Wird bereinigt…</translation>
    </message>
    <message>
        <source>Runs each cleanup removes</source>
        <translation>Läufe, die jede Bereinigung entfernt</translation>
    </message>
</context>
<context>
    <name>opsdeck::ReviewModel</name>
    <message>
        <source>role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>grant</source>
        <translation>Berechtigung</translation>
    </message>
    <message>
        <source>revoke</source>
        <translation>entziehen</translation>
    </message>
    <message>
        <source>keep</source>
        <translation>behalten</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Role or grant</source>
        <translation>Rolle oder Berechtigung</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Entscheidung</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
</context>
<context>
    <name>opsdeck::RevokeGrantDialog</name>
    <message>
        <source>Revoke a Grant</source>
        <translation>Berechtigung entziehen</translation>
    </message>
    <message>
        <source>Revoke %1? Whoever it applies to may no longer rely on it; a deny revoked lets the other grants decide again.</source>
        <translation>%1 entziehen? Wen sie betrifft, der kann sich nicht mehr darauf verlassen; ein entzogenes Verweigern lässt die anderen Berechtigungen wieder entscheiden.</translation>
    </message>
    <message>
        <source>&amp;Why (required; it goes into the audit log):</source>
        <translation>&amp;Warum (erforderlich; geht ins Audit-Log):</translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation>&amp;Entziehen</translation>
    </message>
    <message>
        <source>Say why: the comment goes into the audit event.</source>
        <translation>Sagen Sie, warum: Der Kommentar geht in das Audit-Ereignis.</translation>
    </message>
</context>
<context>
    <name>opsdeck::RouteDialog</name>
    <message>
        <source>Add a tunnel route</source>
        <translation>Tunnel-Route hinzufügen</translation>
    </message>
    <message>
        <source>Change a tunnel route</source>
        <translation>Tunnel-Route ändern</translation>
    </message>
    <message>
        <source>Remove a tunnel route</source>
        <translation>Tunnel-Route entfernen</translation>
    </message>
    <message>
        <source>app.example.com</source>
        <translation>app.example.com</translation>
    </message>
    <message>
        <source>The change to the tunnel configuration shows here before anything is written.</source>
        <translation>Die Änderung an der Tunnel-Konfiguration erscheint hier, bevor etwas geschrieben wird.</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Unterschied</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>&amp;Vorschau</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Anwenden</translation>
    </message>
    <message>
        <source>&amp;Hostname:</source>
        <translation>&amp;Hostname:</translation>
    </message>
    <message>
        <source>&amp;Service:</source>
        <translation>&amp;Dienst:</translation>
    </message>
    <message>
        <source>Check the difference, then apply it.</source>
        <translation>Prüfen Sie den Unterschied und wenden Sie ihn dann an.</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Fertig.</translation>
    </message>
    <message>
        <source>Reading the tunnel configuration…</source>
        <translation>Tunnel-Konfiguration wird gelesen…</translation>
    </message>
    <message>
        <source>Applying…</source>
        <translation>Wird angewendet…</translation>
    </message>
</context>
<context>
    <name>opsdeck::RunRecord</name>
    <message>
        <source>The run-signing key has %1 bytes; it needs %2 or more.</source>
        <translation>Der Lauf-Signaturschlüssel hat %1 Bytes; er braucht %2 oder mehr.</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>geprüft</translation>
    </message>
    <message>
        <source>tampered</source>
        <translation>manipuliert</translation>
    </message>
    <message>
        <source>unsigned</source>
        <translation>unsigniert</translation>
    </message>
    <message>
        <source>The run-signing key has too few bytes; it needs %1 or more.</source>
        <translation>Der Lauf-Signaturschlüssel hat zu wenige Bytes; er braucht %1 oder mehr.</translation>
    </message>
    <message>
        <source>The cases of the run did not come in their canonical order, so the record was not signed.</source>
        <translation>Die Fälle des Laufs kamen nicht in ihrer kanonischen Reihenfolge, daher wurde der Eintrag nicht signiert.</translation>
    </message>
    <message>
        <source>Not an opsdeck-run/1 record: %1.</source>
        <translation>Kein opsdeck-run/1-Eintrag: %1.</translation>
    </message>
    <message>
        <source>%1 at byte %2</source>
        <translation>%1 bei Byte %2</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>kein JSON-Objekt</translation>
    </message>
    <message>
        <source>the format is not opsdeck-run/1</source>
        <translation>das Format ist nicht opsdeck-run/1</translation>
    </message>
    <message>
        <source>the source, run or start time is missing</source>
        <translation>Quelle, Lauf oder Startzeit fehlen</translation>
    </message>
    <message>
        <source>the totals are not counts</source>
        <translation>die Summen sind keine Zählwerte</translation>
    </message>
    <message>
        <source>case %1 has no outcome, duration or flakiness</source>
        <translation>Fall %1 hat kein Ergebnis, keine Dauer oder keine Instabilitätsangabe</translation>
    </message>
    <message>
        <source>another key</source>
        <translation>anderer Schlüssel</translation>
    </message>
</context>
<context>
    <name>opsdeck::RunSigningKey</name>
    <message>
        <source>The keychain entry %1 does not hold a run-signing key.</source>
        <translation>Der Schlüsselbund-Eintrag %1 enthält keinen Lauf-Signaturschlüssel.</translation>
    </message>
    <message>
        <source>The keychain did not answer in time.</source>
        <translation>Der Schlüsselbund hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <source>A run-signing key has %1 bytes or more; this one has %2.</source>
        <translation>Ein Lauf-Signaturschlüssel hat %1 Bytes oder mehr; dieser hat %2.</translation>
    </message>
</context>
<context>
    <name>opsdeck::Runner</name>
    <message>
        <source>GitHub sent a runner without a valid &quot;%1&quot; (%2 expected).</source>
        <translation>GitHub hat einen Runner ohne gültiges „%1“ gesendet (%2 erwartet).</translation>
    </message>
    <message>
        <source>GitHub&apos;s runner list is not valid JSON (%1 at byte %2).</source>
        <translation>Die Runner-Liste von GitHub ist kein gültiges JSON (%1 bei Byte %2).</translation>
    </message>
    <message>
        <source>GitHub&apos;s runner list lacks &quot;runners&quot; or &quot;total_count&quot;.</source>
        <translation>Der Runner-Liste von GitHub fehlen „runners“ oder „total_count“.</translation>
    </message>
    <message>
        <source>Writing runners to the cache</source>
        <translation>Runner werden in den Cache geschrieben</translation>
    </message>
    <message>
        <source>Reading cached runners</source>
        <translation>Runner werden aus dem Cache gelesen</translation>
    </message>
    <message>
        <source>Marking removed runners</source>
        <translation>Entfernte Runner werden markiert</translation>
    </message>
</context>
<context>
    <name>opsdeck::RunnerPolicyStore</name>
    <message>
        <source>Reading the label policy</source>
        <translation>Label-Richtlinie wird gelesen</translation>
    </message>
    <message>
        <source>Saving the label policy</source>
        <translation>Label-Richtlinie wird gespeichert</translation>
    </message>
    <message>
        <source>Recording the provisioned runner</source>
        <translation>Bereitgestellter Runner wird festgehalten</translation>
    </message>
    <message>
        <source>Reading provisioning records</source>
        <translation>Bereitstellungseinträge werden gelesen</translation>
    </message>
    <message>
        <source>Reading runners</source>
        <translation>Runner werden gelesen</translation>
    </message>
    <message>
        <source>Marking a runner removed</source>
        <translation>Ein Runner wird als entfernt markiert</translation>
    </message>
    <message>
        <source>Linking a provisioned runner</source>
        <translation>Ein bereitgestellter Runner wird verknüpft</translation>
    </message>
</context>
<context>
    <name>opsdeck::RunnersModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>Beschäftigt</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Drift</source>
        <translation>Abweichung</translation>
    </message>
    <message>
        <source>Provisioned by</source>
        <translation>Bereitgestellt von</translation>
    </message>
    <message>
        <source>OS</source>
        <translation>BS</translation>
    </message>
    <message>
        <source>Organization / repository</source>
        <translation>Organisation / Repository</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>beschäftigt</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>untätig</translation>
    </message>
    <message>
        <source>Gone from GitHub since %1</source>
        <translation>Seit %1 nicht mehr auf GitHub</translation>
    </message>
</context>
<context>
    <name>opsdeck::RunnersPane</name>
    <message>
        <source>Runners</source>
        <translation>Runner</translation>
    </message>
    <message>
        <source>GitHub Actions self-hosted runners</source>
        <translation>Selbst gehostete Runner für GitHub Actions</translation>
    </message>
    <message>
        <source>This pane lists the self-hosted runners of your GitHub organization and repositories, provisions new ones under a label policy (just-in-time or registration token), removes them with an audited comment, and cleans up runners that drift from the policy.</source>
        <translation>Dieser Bereich listet die selbst gehosteten Runner Ihrer GitHub-Organisation und -Repositorys auf, stellt neue unter einer Label-Richtlinie bereit (Just-in-time oder Registrierungs-Token), entfernt sie mit einem auditierten Kommentar und räumt Runner auf, die von der Richtlinie abweichen.</translation>
    </message>
    <message>
        <source>Filter by name, label, owner, OS…</source>
        <translation>Nach Name, Label, Besitzer, BS filtern…</translation>
    </message>
    <message>
        <source>Current runners</source>
        <translation>Aktuelle Runner</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Removed (history)</source>
        <translation>Entfernt (Verlauf)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Busy or idle</source>
        <translation>Beschäftigt oder untätig</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>Beschäftigt</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>Untätig</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Only runners with this label</source>
        <translation>Nur Runner mit diesem Label</translation>
    </message>
    <message>
        <source>Provisioned by</source>
        <translation>Bereitgestellt von</translation>
    </message>
    <message>
        <source>Only runners provisioned through Opsdeck by this person</source>
        <translation>Nur Runner, die diese Person über Opsdeck bereitgestellt hat</translation>
    </message>
    <message>
        <source>The GitHub connection that new runners, the policy and the drift view apply to</source>
        <translation>Die GitHub-Verbindung, für die neue Runner, die Richtlinie und die Abweichungsansicht gelten</translation>
    </message>
    <message>
        <source>&amp;New runner…</source>
        <translation>&amp;Neuer Runner…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <source>Remove the selected runners (Delete)</source>
        <translation>Die ausgewählten Runner entfernen (Entf)</translation>
    </message>
    <message>
        <source>Label &amp;policy…</source>
        <translation>Label-&amp;Richtlinie…</translation>
    </message>
    <message>
        <source>Restore &amp;labels…</source>
        <translation>&amp;Labels wiederherstellen…</translation>
    </message>
    <message>
        <source>Set the selected drifted runner&apos;s custom labels back to those it was provisioned with</source>
        <translation>Die eigenen Labels des ausgewählten abweichenden Runners auf die bei der Bereitstellung zurücksetzen</translation>
    </message>
    <message>
        <source>&amp;Drift…</source>
        <translation>&amp;Abweichung…</translation>
    </message>
    <message>
        <source>What the next sync would delete (dry run)</source>
        <translation>Was die nächste Synchronisierung löschen würde (Probelauf)</translation>
    </message>
    <message>
        <source>Restore labels</source>
        <translation>Labels wiederherstellen</translation>
    </message>
    <message>
        <source>Select a runner to see its labels and the history of Opsdeck&apos;s actions on it.</source>
        <translation>Wählen Sie einen Runner, um seine Labels und den Verlauf der Aktionen von Opsdeck daran zu sehen.</translation>
    </message>
    <message>
        <source>%1 of %2 runners</source>
        <translation>%1 von %2 Runnern</translation>
    </message>
    <message>
        <source>Any label</source>
        <translation>Jedes Label</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Jeder</translation>
    </message>
    <message>
        <source>Not provisioned by Opsdeck</source>
        <translation>Nicht über Opsdeck bereitgestellt</translation>
    </message>
    <message>
        <source>Provisioned by %1</source>
        <translation>Bereitgestellt von %1</translation>
    </message>
    <message>
        <source>New runner</source>
        <translation>Neuer Runner</translation>
    </message>
    <message>
        <source>Remove runners</source>
        <translation>Runner entfernen</translation>
    </message>
    <message>
        <source>Select runners of one GitHub connection at a time.</source>
        <translation>Wählen Sie Runner nur einer GitHub-Verbindung zugleich.</translation>
    </message>
    <message>
        <source>Select the runners to remove first.</source>
        <translation>Wählen Sie zuerst die zu entfernenden Runner.</translation>
    </message>
    <message>
        <source>Set the custom labels of %1 back to those it was provisioned with?

Drift now: %2

GitHub changes the runner at once; the change is audited.</source>
        <translation>Die eigenen Labels von %1 auf die bei der Bereitstellung zurücksetzen?

Abweichung jetzt: %2

GitHub ändert den Runner sofort; die Änderung wird auditiert.</translation>
    </message>
    <message>
        <source>Label policy</source>
        <translation>Label-Richtlinie</translation>
    </message>
    <message>
        <source>Drift</source>
        <translation>Abweichung</translation>
    </message>
    <message>
        <source>Custom labels</source>
        <translation>Eigene Labels</translation>
    </message>
    <message>
        <source>System labels</source>
        <translation>System-Labels</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Provisioned</source>
        <translation>Bereitgestellt</translation>
    </message>
    <message>
        <source>not through Opsdeck</source>
        <translation>nicht über Opsdeck</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Besitzer</translation>
    </message>
    <message>
        <source>Opsdeck&apos;s actions on this runner</source>
        <translation>Aktionen von Opsdeck an diesem Runner</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>noch keine</translation>
    </message>
</context>
<context>
    <name>opsdeck::Screenshots</name>
    <message>
        <source>Cannot create the directory %1.</source>
        <translation>Das Verzeichnis %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>%1 kann nicht geschrieben werden.</translation>
    </message>
</context>
<context>
    <name>opsdeck::SecretStore</name>
    <message>
        <source>No OS keychain is available (%1). Opsdeck stores secrets only in a keychain such as GNOME Keyring or KWallet.</source>
        <translation>Kein Schlüsselbund des Systems verfügbar (%1). Opsdeck speichert Geheimnisse nur in einem Schlüsselbund wie GNOME Keyring oder KWallet.</translation>
    </message>
    <message>
        <source>The keychain holds no secret for this connection. Enter it again.</source>
        <translation>Der Schlüsselbund enthält kein Geheimnis für diese Verbindung. Geben Sie es erneut ein.</translation>
    </message>
    <message>
        <source>Access to the keychain was denied (%1).</source>
        <translation>Der Zugriff auf den Schlüsselbund wurde verweigert (%1).</translation>
    </message>
    <message>
        <source>The keychain failed: %1</source>
        <translation>Der Schlüsselbund ist fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>opsdeck::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>The Desktop&apos;s (%1)</source>
        <translation>Die des Desktops (%1)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>A new language takes effect when Opsdeck starts again.</source>
        <translation>Eine neue Sprache gilt, sobald Opsdeck neu startet.</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>How long a request to a server may stay silent before it fails</source>
        <translation>Wie lange eine Anfrage an einen Server still bleiben darf, bevor sie fehlschlägt</translation>
    </message>
    <message>
        <source>How often a request that changes nothing is tried again after a server error, a broken connection or a timeout</source>
        <translation>Wie oft eine Anfrage, die nichts ändert, nach einem Serverfehler, einer abgebrochenen Verbindung oder einem Zeitlimit erneut versucht wird</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <source>&amp;Timeout:</source>
        <translation>&amp;Zeitlimit:</translation>
    </message>
    <message>
        <source>&amp;Retries:</source>
        <translation>&amp;Wiederholungen:</translation>
    </message>
    <message>
        <source> min</source>
        <translation> Min.</translation>
    </message>
    <message>
        <source>What a new connection starts with; each connection keeps its own in Connections</source>
        <translation>Womit eine neue Verbindung beginnt; jede Verbindung behält unter Verbindungen ihre eigene</translation>
    </message>
    <message>
        <source> lines</source>
        <translation> Zeilen</translation>
    </message>
    <message>
        <source>Beyond this many, a log view drops its oldest lines; each view can change its own</source>
        <translation>Über diese Anzahl hinaus verwirft eine Log-Ansicht ihre ältesten Zeilen; jede Ansicht kann ihre eigene ändern</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>Standardwerte</translation>
    </message>
    <message>
        <source>New connections &amp;sync every:</source>
        <translation>Neue Verbindungen &amp;synchronisieren alle:</translation>
    </message>
    <message>
        <source>Log views &amp;keep:</source>
        <translation>Log-Ansichten &amp;behalten:</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <source>Tell me on the desktop when:</source>
        <translation>Auf dem Desktop melden, wenn:</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Every event</source>
        <translation>Jedes Ereignis</translation>
    </message>
    <message>
        <source>How long this desktop keeps its audit events</source>
        <translation>Wie lange dieser Desktop seine Audit-Ereignisse behält</translation>
    </message>
    <message>
        <source>Audit Log</source>
        <translation>Audit-Log</translation>
    </message>
    <message>
        <source>Keep audit &amp;events for:</source>
        <translation>Audit-&amp;Ereignisse behalten:</translation>
    </message>
    <message>
        <source>Older events are removed from this desktop&apos;s cache. The chain stays verifiable from the oldest event kept, the removal is itself audited, and events not yet sent to a team workspace are kept.</source>
        <translation>Ältere Ereignisse werden aus dem Cache dieses Desktops entfernt. Die Kette bleibt ab dem ältesten behaltenen Ereignis prüfbar, das Entfernen wird selbst auditiert, und Ereignisse, die noch nicht an einen Team-Arbeitsbereich gesendet wurden, bleiben erhalten.</translation>
    </message>
</context>
<context>
    <name>opsdeck::SettleDialog</name>
    <message>
        <source>Settle the Overflow of %1</source>
        <translation>Überlauf von %1 begleichen</translation>
    </message>
    <message>
        <source>%1 spent %2 against a budget of %3 in the period ending %4: %5 over, %6 of it open.</source>
        <translation>%1 hat %2 gegen ein Budget von %3 im Zeitraum bis %4 ausgegeben: %5 darüber, davon %6 offen.</translation>
    </message>
    <message>
        <source>The invoice, credit note or ticket</source>
        <translation>Die Rechnung, Gutschrift oder das Ticket</translation>
    </message>
    <message>
        <source>&amp;Settle %1</source>
        <translation>%1 &amp;begleichen</translation>
    </message>
    <message>
        <source>&amp;Reference:</source>
        <translation>&amp;Referenz:</translation>
    </message>
    <message>
        <source>C&amp;omment:</source>
        <translation>K&amp;ommentar:</translation>
    </message>
</context>
<context>
    <name>opsdeck::SigningKeyDialog</name>
    <message>
        <source>Run-Signing Key</source>
        <translation>Lauf-Signaturschlüssel</translation>
    </message>
    <message>
        <source>Every run imported here is signed with a key kept in your keychain. Teammates who use the same key check each other&apos;s runs; a run signed with a key this desktop does not hold shows &quot;another key&quot;.</source>
        <translation>Jeder hier importierte Lauf wird mit einem Schlüssel aus Ihrem Schlüsselbund signiert. Teammitglieder mit demselben Schlüssel prüfen gegenseitig ihre Läufe; ein Lauf, der mit einem Schlüssel signiert ist, den dieser Desktop nicht hat, zeigt „anderer Schlüssel“.</translation>
    </message>
    <message>
        <source>This desktop</source>
        <translation>Dieser Desktop</translation>
    </message>
    <message>
        <source>Reading the key…</source>
        <translation>Schlüssel wird gelesen…</translation>
    </message>
    <message>
        <source>&amp;Copy Key for a Teammate…</source>
        <translation>Schlüssel für ein Teammitglied &amp;kopieren…</translation>
    </message>
    <message>
        <source>Puts the key on the clipboard for a minute, to pass on through a password manager.</source>
        <translation>Legt den Schlüssel für eine Minute in die Zwischenablage, um ihn über einen Passwort-Manager weiterzugeben.</translation>
    </message>
    <message>
        <source>The team&apos;s key</source>
        <translation>Der Schlüssel des Teams</translation>
    </message>
    <message>
        <source>Paste the key a teammate copied (base64)</source>
        <translation>Fügen Sie den Schlüssel ein, den ein Teammitglied kopiert hat (base64)</translation>
    </message>
    <message>
        <source>Team key</source>
        <translation>Team-Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;Use This Key</source>
        <translation>Diesen Schlüssel &amp;verwenden</translation>
    </message>
    <message>
        <source>The test-runs service is not running.</source>
        <translation>Der Testlauf-Dienst läuft nicht.</translation>
    </message>
    <message>
        <source>Runs are signed with key &lt;b&gt;%1&lt;/b&gt;.</source>
        <translation>Läufe werden mit Schlüssel &lt;b&gt;%1&lt;/b&gt; signiert.</translation>
    </message>
    <message>
        <source>Paste the team&apos;s key to check it here first.</source>
        <translation>Fügen Sie den Schlüssel des Teams ein, um ihn zuerst hier zu prüfen.</translation>
    </message>
    <message>
        <source>That is not a run-signing key: base64 of %1 bytes or more.</source>
        <translation>Das ist kein Lauf-Signaturschlüssel: base64 von %1 Bytes oder mehr.</translation>
    </message>
    <message>
        <source>This desktop signs with that key already.</source>
        <translation>Dieser Desktop signiert bereits mit diesem Schlüssel.</translation>
    </message>
    <message>
        <source>Key id %1.</source>
        <translation>Schlüssel-ID %1.</translation>
    </message>
    <message>
        <source>Copy the Run-Signing Key</source>
        <translation>Lauf-Signaturschlüssel kopieren</translation>
    </message>
    <message>
        <source>Whoever holds this key can sign runs that check as this team&apos;s. Pass it on only through a password manager or another private channel. The clipboard is cleared again in a minute.</source>
        <translation>Wer diesen Schlüssel hat, kann Läufe signieren, die als die dieses Teams gelten. Geben Sie ihn nur über einen Passwort-Manager oder einen anderen privaten Kanal weiter. Die Zwischenablage wird in einer Minute wieder geleert.</translation>
    </message>
    <message>
        <source>Key %1 copied; the clipboard is cleared in a minute.</source>
        <translation>Schlüssel %1 kopiert; die Zwischenablage wird in einer Minute geleert.</translation>
    </message>
    <message>
        <source>Use the Team&apos;s Key</source>
        <translation>Den Schlüssel des Teams verwenden</translation>
    </message>
    <message>
        <source>Sign every run imported here with key %1 from now on? The current key %2 stays in your keychain, so the runs it signed stay checkable.</source>
        <translation>Jeden hier importierten Lauf ab jetzt mit Schlüssel %1 signieren? Der aktuelle Schlüssel %2 bleibt in Ihrem Schlüsselbund, sodass die damit signierten Läufe prüfbar bleiben.</translation>
    </message>
    <message>
        <source>Keeping the key…</source>
        <translation>Schlüssel wird gespeichert…</translation>
    </message>
</context>
<context>
    <name>opsdeck::SpendAttribution</name>
    <message>
        <source>(no organization)</source>
        <translation>(keine Organisation)</translation>
    </message>
    <message>
        <source>(no team)</source>
        <translation>(kein Team)</translation>
    </message>
    <message>
        <source>(no user)</source>
        <translation>(kein Benutzer)</translation>
    </message>
    <message>
        <source>(no key)</source>
        <translation>(kein Schlüssel)</translation>
    </message>
    <message>
        <source>(no model)</source>
        <translation>(kein Modell)</translation>
    </message>
    <message>
        <source>Reading the names of the spend&apos;s groups</source>
        <translation>Namen der Ausgabengruppen werden gelesen</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Woche</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Monat</translation>
    </message>
    <message>
        <source>The range of days is empty.</source>
        <translation>Der Zeitraum der Tage ist leer.</translation>
    </message>
    <message>
        <source>Attributing the spend</source>
        <translation>Ausgaben werden zugeordnet</translation>
    </message>
    <message>
        <source>Reading the requests of the day</source>
        <translation>Anfragen des Tages werden gelesen</translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s daily totals</source>
        <translation>Tagessummen des Proxys werden gelesen</translation>
    </message>
    <message>
        <source>w/c %1</source>
        <translation>Woche ab %1</translation>
    </message>
    <message>
        <source>Not reconciled yet: the proxy&apos;s daily totals come with the next sync.</source>
        <translation>Noch nicht abgeglichen: Die Tagessummen des Proxys kommen mit der nächsten Synchronisierung.</translation>
    </message>
    <message>
        <source>Not reconciled: this proxy does not report daily totals (%1).</source>
        <translation>Nicht abgeglichen: Dieser Proxy meldet keine Tagessummen (%1).</translation>
    </message>
    <message>
        <source>Reconciled: the proxy&apos;s own daily totals for these days come to the same %1.</source>
        <translation>Abgeglichen: Die eigenen Tagessummen des Proxys für diese Tage ergeben ebenfalls %1.</translation>
    </message>
    <message>
        <source>Does not reconcile: the proxy&apos;s daily totals come to %1, %2 %3 than the spend logs; %4 days differ, most %5 (logs %6, proxy %7).</source>
        <translation>Stimmt nicht überein: Die Tagessummen des Proxys ergeben %1, %2 %3 als die Ausgaben-Logs; %4 Tage weichen ab, am meisten %5 (Logs %6, Proxy %7).</translation>
    </message>
    <message>
        <source>more</source>
        <translation>mehr</translation>
    </message>
    <message>
        <source>less</source>
        <translation>weniger</translation>
    </message>
</context>
<context>
    <name>opsdeck::SpendLogStore</name>
    <message>
        <source>Cannot keep the spend logs: %1</source>
        <translation>Die Ausgaben-Logs können nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Cannot read the spend logs: %1</source>
        <translation>Die Ausgaben-Logs können nicht gelesen werden: %1</translation>
    </message>
</context>
<context>
    <name>opsdeck::TeamAudit</name>
    <message>
        <source>Reading how far this desktop&apos;s audit log reached</source>
        <translation>Wird gelesen, wie weit das Audit-Log dieses Desktops reichte</translation>
    </message>
    <message>
        <source>Reading the audit outbox</source>
        <translation>Audit-Ausgang wird gelesen</translation>
    </message>
    <message>
        <source>Sending audit events</source>
        <translation>Audit-Ereignisse werden gesendet</translation>
    </message>
    <message>
        <source>Sending audit event %1 to the team workspace</source>
        <translation>Audit-Ereignis %1 wird an den Team-Arbeitsbereich gesendet</translation>
    </message>
    <message>
        <source>Reading the team&apos;s audit trail</source>
        <translation>Audit-Spur des Teams wird gelesen</translation>
    </message>
    <message>
        <source>Recording the team&apos;s audit trail</source>
        <translation>Audit-Spur des Teams wird festgehalten</translation>
    </message>
    <message>
        <source>event %1 carries the id %2: it was moved</source>
        <translation>Ereignis %1 trägt die ID %2: Es wurde verschoben</translation>
    </message>
    <message>
        <source>event %1 does not follow the one before it: an event before it was removed or inserted</source>
        <translation>Ereignis %1 folgt nicht auf das davor: Ein Ereignis davor wurde entfernt oder eingefügt</translation>
    </message>
    <message>
        <source>event %1 was changed after it was recorded: its hash does not match</source>
        <translation>Ereignis %1 wurde nach dem Festhalten verändert: Sein Hash passt nicht</translation>
    </message>
    <message>
        <source>the events before event %1 are missing, and no audit.prune event in the chain records a retention prune that removed them</source>
        <translation>die Ereignisse vor Ereignis %1 fehlen, und kein audit.prune-Ereignis der Kette verzeichnet eine Kürzung durch die Aufbewahrung, die sie entfernt hat</translation>
    </message>
</context>
<context>
    <name>opsdeck::TeamCli</name>
    <message>
        <source>Workspace: %1</source>
        <translation>Arbeitsbereich: %1</translation>
    </message>
    <message>
        <source>Schema: none yet (run opsdeck team init as the database owner)</source>
        <translation>Schema: noch keins (führen Sie opsdeck team init als Eigentümer der Datenbank aus)</translation>
    </message>
    <message>
        <source>Schema: %1 (this Opsdeck: %2)</source>
        <translation>Schema: %1 (dieses Opsdeck: %2)</translation>
    </message>
    <message>
        <source>Signed in as: %1 (%2%3)</source>
        <translation>Angemeldet als: %1 (%2%3)</translation>
    </message>
    <message>
        <source>, deactivated</source>
        <translation>, deaktiviert</translation>
    </message>
    <message>
        <source>Signed in as: %1 (not a person of this workspace)</source>
        <translation>Angemeldet als: %1 (keine Person dieses Arbeitsbereichs)</translation>
    </message>
    <message>
        <source>%1 %2 (%3 active)</source>
        <translation>%1 %2 (%3 aktiv)</translation>
    </message>
    <message>
        <source>People: %1</source>
        <translation>Personen: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Cannot read the people: %1</source>
        <translation>Die Personen können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <source>The workspace (a libpq connection URI).</source>
        <translation>Der Arbeitsbereich (eine libpq-Verbindungs-URI).</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>init: the first superuser&apos;s login.</source>
        <translation>init: der Login des ersten Superusers.</translation>
    </message>
    <message>
        <source>LOGIN</source>
        <translation>LOGIN</translation>
    </message>
    <message>
        <source>ROLE</source>
        <translation>ROLLE</translation>
    </message>
    <message>
        <source>The person&apos;s email address.</source>
        <translation>Die E-Mail-Adresse der Person.</translation>
    </message>
    <message>
        <source>E</source>
        <translation>E</translation>
    </message>
    <message>
        <source>Read the new login&apos;s password from the first line of standard input.</source>
        <translation>Das Passwort des neuen Logins aus der ersten Zeile der Standardeingabe lesen.</translation>
    </message>
    <message>
        <source>The data directory.</source>
        <translation>Das Datenverzeichnis.</translation>
    </message>
    <message>
        <source>dir</source>
        <translation>Verz</translation>
    </message>
    <message>
        <source>init needs --superuser LOGIN: the first person who may manage everyone.</source>
        <translation>init braucht --superuser LOGIN: die erste Person, die alle verwalten darf.</translation>
    </message>
    <message>
        <source>The workspace %1 is at schema %2; %3 is a superuser.</source>
        <translation>Der Arbeitsbereich %1 hat Schema %2; %3 ist Superuser.</translation>
    </message>
    <message>
        <source>can: what the action is done on, as facets (&quot;connection:gh mode:jit&quot;).</source>
        <translation>can: worauf die Aktion angewendet wird, als Facetten („connection:gh mode:jit“).</translation>
    </message>
    <message>
        <source>S</source>
        <translation>S</translation>
    </message>
    <message>
        <source>can needs a LOGIN and an ACTION, e.g. opsdeck team can bob runner.delete --scope owner:carol.</source>
        <translation>can braucht einen LOGIN und eine AKTION, z. B. opsdeck team can bob runner.delete --scope owner:carol.</translation>
    </message>
    <message>
        <source>Password for %1: </source>
        <translation>Passwort für %1: </translation>
    </message>
    <message>
        <source>the data directory %1 has not joined a team workspace: join one in File › Team Workspace…, or give it with --url postgresql://LOGIN@HOST/DATABASE.</source>
        <translation>das Datenverzeichnis %1 ist keinem Team-Arbeitsbereich beigetreten: Treten Sie einem bei unter Datei › Team-Arbeitsbereich… oder geben Sie ihn mit --url postgresql://LOGIN@HOST/DATENBANK an.</translation>
    </message>
    <message>
        <source>Nothing was changed: the audit log %1 cannot be opened (%2).</source>
        <translation>Es wurde nichts geändert: Das Audit-Log %1 kann nicht geöffnet werden (%2).</translation>
    </message>
    <message>
        <source>%1: not recorded in the audit log: %2</source>
        <translation>%1: nicht im Audit-Log festgehalten: %2</translation>
    </message>
    <message>
        <source>%1: done.</source>
        <translation>%1: erledigt.</translation>
    </message>
    <message>
        <source>%1 is not a person of this workspace.</source>
        <translation>%1 ist keine Person dieses Arbeitsbereichs.</translation>
    </message>
    <message>
        <source>person add, role: user, admin or superuser.</source>
        <translation>person add, role: user, admin oder superuser.</translation>
    </message>
    <message>
        <source>person: the display name.</source>
        <translation>person: der Anzeigename.</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>person: the GitHub login.</source>
        <translation>person: der GitHub-Login.</translation>
    </message>
    <message>
        <source>G</source>
        <translation>G</translation>
    </message>
    <message>
        <source>person: why, for the audit log (required to deactivate).</source>
        <translation>person: warum, für das Audit-Log (zum Deaktivieren erforderlich).</translation>
    </message>
    <message>
        <source>C</source>
        <translation>C</translation>
    </message>
    <message>
        <source>person %1 needs one or more LOGINs.</source>
        <translation>person %1 braucht einen oder mehrere LOGINs.</translation>
    </message>
    <message>
        <source>person %1 needs one LOGIN.</source>
        <translation>person %1 braucht einen LOGIN.</translation>
    </message>
    <message>
        <source>person %1 needs --role user|admin|superuser.</source>
        <translation>person %1 braucht --role user|admin|superuser.</translation>
    </message>
    <message>
        <source>person deactivate needs --comment: why, for the audit log.</source>
        <translation>person deactivate braucht --comment: warum, für das Audit-Log.</translation>
    </message>
    <message>
        <source>person: their Harbor user name.</source>
        <translation>person: ihr Harbor-Benutzername.</translation>
    </message>
    <message>
        <source>H</source>
        <translation>H</translation>
    </message>
    <message>
        <source>person: their LiteLLM user id.</source>
        <translation>person: ihre LiteLLM-Benutzer-ID.</translation>
    </message>
    <message>
        <source>L</source>
        <translation>L</translation>
    </message>
    <message>
        <source>%1: done, grant %2.</source>
        <translation>%1: erledigt, Berechtigung %2.</translation>
    </message>
    <message>
        <source>grant: the person the grant is for (or listed for).</source>
        <translation>grant: die Person, für die die Berechtigung gilt (oder aufgelistet wird).</translation>
    </message>
    <message>
        <source>grant add: a deny, which wins over any allow.</source>
        <translation>grant add: ein Verweigern, das Vorrang vor jedem Erlauben hat.</translation>
    </message>
    <message>
        <source>init, status, can, person or grant</source>
        <translation>init, status, can, person oder grant</translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;: init, status, can, person add|edit|role|deactivate|reactivate, or grant add|revoke|list.</source>
        <translation>unbekannter Befehl „%1“: init, status, can, person add|edit|role|deactivate|reactivate oder grant add|revoke|list.</translation>
    </message>
    <message>
        <source>grant add needs one ACTION and either --role R or --person LOGIN, e.g. opsdeck team grant add image.request --role user --scope project:shop.</source>
        <translation>grant add braucht eine AKTION und entweder --role R oder --person LOGIN, z. B. opsdeck team grant add image.request --role user --scope project:shop.</translation>
    </message>
    <message>
        <source>grant revoke needs the numbers of one or more grants (opsdeck team grant list shows them).</source>
        <translation>grant revoke braucht die Nummern einer oder mehrerer Berechtigungen (opsdeck team grant list zeigt sie).</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a grant&apos;s number.</source>
        <translation>„%1“ ist keine Nummer einer Berechtigung.</translation>
    </message>
    <message>
        <source>The team workspace on PostgreSQL: people, roles and permissions shared by the team.

  opsdeck team init --url URL --superuser LOGIN [--email E] [--password-stdin]
      run once by the database owner (who needs CREATEROLE); safe to run again
  opsdeck team status [--url URL]
  opsdeck team can LOGIN ACTION [--scope S] [--url URL]   exit 0 when allowed, 1 when not, with the deciding grant
  opsdeck team person add LOGIN --role user|admin|superuser [--email E] [--name N] [--github G] [--harbor H] [--litellm L] [--oidc S] [--password-stdin]
  opsdeck team person edit LOGIN [--email E] [--name N] [--github G] [--harbor H] [--litellm L] [--oidc S]
  opsdeck team person role LOGIN --role user|admin|superuser [--comment C]
  opsdeck team person deactivate LOGIN... --comment C
  opsdeck team person reactivate LOGIN... [--comment C]
  opsdeck team grant add ACTION (--role R | --person LOGIN) [--scope S] [--deny] [--comment C]
  opsdeck team grant revoke ID... --comment C
      each change is recorded in the data directory&apos;s audit log; exit 1 when any is refused
  opsdeck team grant list [--person LOGIN | --role R]   the grants, with the numbers revoke takes

Without --url, a command acts on the workspace the data directory joined (File › Team Workspace…). URL is a libpq connection URI, postgresql://LOGIN@HOST[:PORT]/DATABASE[?sslmode=verify-full&amp;sslrootcert=FILE]; LOGIN is the person acting, under their own permissions. The password comes from PGPASSWORD (or ~/.pgpass), the keychain, or a prompt; never from the URL.</source>
        <translation>Der Team-Arbeitsbereich auf PostgreSQL: Personen, Rollen und Berechtigungen, die das Team teilt.

  opsdeck team init --url URL --superuser LOGIN [--email E] [--password-stdin]
      einmal vom Eigentümer der Datenbank auszuführen (der CREATEROLE braucht); erneutes Ausführen ist sicher
  opsdeck team status [--url URL]
  opsdeck team can LOGIN AKTION [--scope S] [--url URL]   Exit-Code 0, wenn erlaubt, 1, wenn nicht, mit der entscheidenden Berechtigung
  opsdeck team person add LOGIN --role user|admin|superuser [--email E] [--name N] [--github G] [--harbor H] [--litellm L] [--oidc S] [--password-stdin]
  opsdeck team person edit LOGIN [--email E] [--name N] [--github G] [--harbor H] [--litellm L] [--oidc S]
  opsdeck team person role LOGIN --role user|admin|superuser [--comment C]
  opsdeck team person deactivate LOGIN... --comment C
  opsdeck team person reactivate LOGIN... [--comment C]
  opsdeck team grant add AKTION (--role R | --person LOGIN) [--scope S] [--deny] [--comment C]
  opsdeck team grant revoke ID... --comment C
      jede Änderung wird im Audit-Log des Datenverzeichnisses festgehalten; Exit-Code 1, wenn eine abgelehnt wird
  opsdeck team grant list [--person LOGIN | --role R]   die Berechtigungen, mit den Nummern, die revoke nimmt

Ohne --url wirkt ein Befehl auf den Arbeitsbereich, dem das Datenverzeichnis beigetreten ist (Datei › Team-Arbeitsbereich…). URL ist eine libpq-Verbindungs-URI, postgresql://LOGIN@HOST[:PORT]/DATENBANK[?sslmode=verify-full&amp;sslrootcert=DATEI]; LOGIN ist die handelnde Person, mit ihren eigenen Berechtigungen. Das Passwort kommt aus PGPASSWORD (oder ~/.pgpass), dem Schlüsselbund oder einer Abfrage; nie aus der URL.</translation>
    </message>
    <message>
        <source>person: the subject their identity provider (OIDC) gives them.</source>
        <translation>person: das Subjekt, das ihr Identitätsanbieter (OIDC) ihr gibt.</translation>
    </message>
</context>
<context>
    <name>opsdeck::TeamRecords</name>
    <message>
        <source>%1 needs a name of 1 to 200 characters without spaces around it (got &quot;%2&quot;).</source>
        <translation>%1 braucht einen Namen von 1 bis 200 Zeichen ohne Leerzeichen drumherum (erhalten: „%2“).</translation>
    </message>
    <message>
        <source>A test-run source</source>
        <translation>Eine Testlauf-Quelle</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a kind of test-run source: files, github or golden.</source>
        <translation>„%1“ ist keine Art von Testlauf-Quelle: files, github oder golden.</translation>
    </message>
    <message>
        <source>The %1 of source %2 carries credentials: a team shares no secrets.</source>
        <translation>%1 der Quelle %2 enthält Zugangsdaten: Ein Team teilt keine Geheimnisse.</translation>
    </message>
    <message>
        <source>Jira is on for %1: its site must be an https address (got &quot;%2&quot;).</source>
        <translation>Jira ist für %1 eingeschaltet: Seine Site muss eine https-Adresse sein (erhalten: „%2“).</translation>
    </message>
    <message>
        <source>Jira is on for %1: its project key is capital letters and digits, such as OPS (got &quot;%2&quot;).</source>
        <translation>Jira ist für %1 eingeschaltet: Sein Projektschlüssel besteht aus Großbuchstaben und Ziffern, etwa OPS (erhalten: „%2“).</translation>
    </message>
    <message>
        <source>The Jira site, project or issue type of %1 is too long.</source>
        <translation>Jira-Site, -Projekt oder -Vorgangstyp von %1 ist zu lang.</translation>
    </message>
    <message>
        <source>A mock</source>
        <translation>Ein Mock</translation>
    </message>
    <message>
        <source>The address, path, connection or container of mock %1 is too long.</source>
        <translation>Adresse, Pfad, Verbindung oder Container von Mock %1 ist zu lang.</translation>
    </message>
    <message>
        <source>A published run&apos;s source</source>
        <translation>Die Quelle eines veröffentlichten Laufs</translation>
    </message>
    <message>
        <source>A run of %1 has no key, or one longer than 300 characters.</source>
        <translation>Ein Lauf von %1 hat keinen Schlüssel oder einen mit mehr als 300 Zeichen.</translation>
    </message>
    <message>
        <source>Run %1 of %2 has a record of %3 MiB, over the workspace&apos;s %4 MiB: it stays on this desktop.</source>
        <translation>Lauf %1 von %2 hat einen Eintrag von %3 MiB, über den %4 MiB des Arbeitsbereichs: Er bleibt auf diesem Desktop.</translation>
    </message>
    <message>
        <source>The record of run %1 of %2 is not an opsdeck-run/1 record of that run.</source>
        <translation>Der Eintrag von Lauf %1 von %2 ist kein opsdeck-run/1-Eintrag dieses Laufs.</translation>
    </message>
    <message>
        <source>The signature of run %1 of %2 is not 64 lowercase hex digits.</source>
        <translation>Die Signatur von Lauf %1 von %2 besteht nicht aus 64 kleingeschriebenen Hexziffern.</translation>
    </message>
    <message>
        <source>The key id of run %1 of %2 is not 16 lowercase hex digits.</source>
        <translation>Die Schlüssel-ID von Lauf %1 von %2 besteht nicht aus 16 kleingeschriebenen Hexziffern.</translation>
    </message>
    <message>
        <source>Run %1 of %2 has a signature without its key id, or the other way round.</source>
        <translation>Lauf %1 von %2 hat eine Signatur ohne Schlüssel-ID oder umgekehrt.</translation>
    </message>
    <message>
        <source>The desktop&apos;s name is longer than 200 characters.</source>
        <translation>Der Name des Desktops ist länger als 200 Zeichen.</translation>
    </message>
    <message>
        <source>change the test-run source %1</source>
        <translation>die Testlauf-Quelle %1 ändern</translation>
    </message>
    <message>
        <source>remove the test-run source %1</source>
        <translation>die Testlauf-Quelle %1 entfernen</translation>
    </message>
    <message>
        <source>change the mock %1</source>
        <translation>den Mock %1 ändern</translation>
    </message>
    <message>
        <source>remove the mock %1</source>
        <translation>den Mock %1 entfernen</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) published</source>
        <translation>
            <numerusform>%n Lauf veröffentlicht</numerusform>
            <numerusform>%n Läufe veröffentlicht</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::TeamSettings</name>
    <message>
        <source>Reading test source %1</source>
        <translation>Testquelle %1 wird gelesen</translation>
    </message>
    <message>
        <source>The team&apos;s %1 is a %2 source; this desktop&apos;s is %3. Rename one of them.</source>
        <translation>Das %1 des Teams ist eine %2-Quelle; die dieses Desktops ist %3. Benennen Sie eine davon um.</translation>
    </message>
    <message>
        <source>The team&apos;s %1 reads GitHub through the connection &quot;%2&quot;, which this desktop does not have.</source>
        <translation>%1 des Teams liest GitHub über die Verbindung „%2“, die dieser Desktop nicht hat.</translation>
    </message>
    <message>
        <source>The team files Jira issues for %1: add your Jira account and token under Notifications… to file them from this desktop.</source>
        <translation>Das Team legt für %1 Jira-Vorgänge an: Fügen Sie Ihr Jira-Konto und Token unter Benachrichtigungen… hinzu, um sie von diesem Desktop anzulegen.</translation>
    </message>
    <message>
        <source>There is no test source %1 (removed meanwhile?).</source>
        <translation>Es gibt keine Testquelle %1 (inzwischen entfernt?).</translation>
    </message>
    <message>
        <source>There is no mock %1 (removed meanwhile?).</source>
        <translation>Es gibt keinen Mock %1 (inzwischen entfernt?).</translation>
    </message>
    <message>
        <source>Reading the team&apos;s mocks</source>
        <translation>Mocks des Teams werden gelesen</translation>
    </message>
    <message>
        <source>The team&apos;s mock %1: %2</source>
        <translation>Mock %1 des Teams: %2</translation>
    </message>
    <message>
        <source>Reading the team&apos;s test sources</source>
        <translation>Testquellen des Teams werden gelesen</translation>
    </message>
</context>
<context>
    <name>opsdeck::TeamWorkspaceDialog</name>
    <message>
        <source>Team Workspace</source>
        <translation>Team-Arbeitsbereich</translation>
    </message>
    <message>
        <source>Join a team workspace</source>
        <translation>Einem Team-Arbeitsbereich beitreten</translation>
    </message>
    <message>
        <source>postgresql://LOGIN@HOST:5432/DATABASE?sslmode=verify-full</source>
        <translation>postgresql://LOGIN@HOST:5432/DATENBANK?sslmode=verify-full</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Adresse:</translation>
    </message>
    <message>
        <source>empty: PGPASSWORD, ~/.pgpass, or the client certificate below</source>
        <translation>leer: PGPASSWORD, ~/.pgpass oder das Client-Zertifikat unten</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Client &amp;certificate:</source>
        <translation>Client-&amp;Zertifikat:</translation>
    </message>
    <message>
        <source>optional: PEM file (e.g. alice.crt)</source>
        <translation>optional: PEM-Datei (z. B. alice.crt)</translation>
    </message>
    <message>
        <source>Client Certificate</source>
        <translation>Client-Zertifikat</translation>
    </message>
    <message>
        <source>Certificates (*.crt *.pem *.cer);;All files (*)</source>
        <translation>Zertifikate (*.crt *.pem *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Certificate &amp;key:</source>
        <translation>Zertifikats-&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>its private key, PEM (e.g. alice.key)</source>
        <translation>sein privater Schlüssel, PEM (z. B. alice.key)</translation>
    </message>
    <message>
        <source>Client Certificate Key</source>
        <translation>Schlüssel des Client-Zertifikats</translation>
    </message>
    <message>
        <source>Keys (*.key *.pem);;All files (*)</source>
        <translation>Schlüssel (*.key *.pem);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The workspace&apos;s database owner gives you the address and your login. The password, or the client certificate and its key, are kept in the keychain, never in settings; the files can go once you have joined. Joining replaces this desktop&apos;s own workspace in the Users pane; your local audit log is sent to the team&apos;s trail.</source>
        <translation>Der Eigentümer der Datenbank des Arbeitsbereichs gibt Ihnen die Adresse und Ihren Login. Das Passwort oder das Client-Zertifikat mit Schlüssel wird im Schlüsselbund aufbewahrt, nie in den Einstellungen; die Dateien können nach dem Beitritt weg. Der Beitritt ersetzt den eigenen Arbeitsbereich dieses Desktops im Bereich Benutzer; Ihr lokales Audit-Log wird an die Spur des Teams gesendet.</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>&amp;Beitreten</translation>
    </message>
    <message>
        <source>&amp;Leave Team Workspace…</source>
        <translation>Team-Arbeitsbereich &amp;verlassen…</translation>
    </message>
    <message>
        <source>This desktop has not joined a team workspace.</source>
        <translation>Dieser Desktop ist keinem Team-Arbeitsbereich beigetreten.</translation>
    </message>
    <message>
        <source>Put your login in the address: postgresql://LOGIN@%1:%2/%3.</source>
        <translation>Setzen Sie Ihren Login in die Adresse: postgresql://LOGIN@%1:%2/%3.</translation>
    </message>
    <message>
        <source>Signing in to %1…</source>
        <translation>Anmeldung bei %1…</translation>
    </message>
    <message>
        <source>%1 The password or certificate could not be kept in the keychain (%2): it is kept in memory until Opsdeck quits.</source>
        <translation>%1 Das Passwort oder Zertifikat konnte nicht im Schlüsselbund aufbewahrt werden (%2): Es bleibt im Speicher, bis Opsdeck beendet wird.</translation>
    </message>
    <message>
        <source>Leave the team workspace %1?

This desktop forgets its copy of the team&apos;s people and grants and goes back to its own local workspace. The team store keeps everything, your audit events included.</source>
        <translation>Den Team-Arbeitsbereich %1 verlassen?

Dieser Desktop vergisst seine Kopie der Personen und Berechtigungen des Teams und kehrt zu seinem eigenen lokalen Arbeitsbereich zurück. Der Team-Speicher behält alles, Ihre Audit-Ereignisse eingeschlossen.</translation>
    </message>
    <message numerus="yes">
        <source>%n audit event(s) of this desktop have not reached the team store yet; they are sent if you join again.</source>
        <translation>
            <numerusform>%n Audit-Ereignis dieses Desktops hat den Team-Speicher noch nicht erreicht; es wird gesendet, wenn Sie erneut beitreten.</numerusform>
            <numerusform>%n Audit-Ereignisse dieses Desktops haben den Team-Speicher noch nicht erreicht; sie werden gesendet, wenn Sie erneut beitreten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Leave Team Workspace</source>
        <translation>Team-Arbeitsbereich verlassen</translation>
    </message>
    <message>
        <source>&amp;Leave</source>
        <translation>&amp;Verlassen</translation>
    </message>
    <message>
        <source>Left the team workspace; this desktop uses its own workspace again.</source>
        <translation>Team-Arbeitsbereich verlassen; dieser Desktop verwendet wieder seinen eigenen Arbeitsbereich.</translation>
    </message>
</context>
<context>
    <name>opsdeck::TestCasesModel</name>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Fall</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Flaky</source>
        <translation>Instabil</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Reading the baseline run</source>
        <translation>Basislauf wird gelesen</translation>
    </message>
    <message>
        <source>Reading the cases of a test run</source>
        <translation>Fälle eines Testlaufs werden gelesen</translation>
    </message>
    <message>
        <source>flaky</source>
        <translation>instabil</translation>
    </message>
</context>
<context>
    <name>opsdeck::TestInsight</name>
    <message>
        <source>passed on a rerun after failing in %1 of its last %2 runs</source>
        <translation>bei Wiederholung bestanden, nachdem er in %1 seiner letzten %2 Läufe fehlschlug</translation>
    </message>
    <message>
        <source>flipped between passing and failing %1 times in its last %2 runs (%3 %, above %4 %)</source>
        <translation>wechselte in seinen letzten %2 Läufen %1-mal zwischen Bestehen und Fehlschlagen (%3 %, über %4 %)</translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunRecords</name>
    <message>
        <source>Sharing the test-run source %1</source>
        <translation>Die Testlauf-Quelle %1 wird geteilt</translation>
    </message>
    <message>
        <source>%1: the test-run source %2 is a %3 source, not %4</source>
        <translation>%1: Die Testlauf-Quelle %2 ist eine %3-Quelle, nicht %4</translation>
    </message>
    <message>
        <source>Removing the test-run source %1</source>
        <translation>Die Testlauf-Quelle %1 wird entfernt</translation>
    </message>
    <message>
        <source>Sharing the mock %1</source>
        <translation>Der Mock %1 wird geteilt</translation>
    </message>
    <message>
        <source>Removing the mock %1</source>
        <translation>Der Mock %1 wird entfernt</translation>
    </message>
    <message>
        <source>Publishing run %1 of %2</source>
        <translation>Lauf %1 von %2 wird veröffentlicht</translation>
    </message>
    <message>
        <source>%1: run %2 of %3 was published already with another record: a published record never changes</source>
        <translation>%1: Lauf %2 von %3 wurde bereits mit einem anderen Eintrag veröffentlicht: Ein veröffentlichter Eintrag ändert sich nie</translation>
    </message>
    <message>
        <source>Reading the shared test-run sources</source>
        <translation>Geteilte Testlauf-Quellen werden gelesen</translation>
    </message>
    <message>
        <source>Reading the shared mocks</source>
        <translation>Geteilte Mocks werden gelesen</translation>
    </message>
    <message>
        <source>Reading the copy of the published test runs</source>
        <translation>Kopie der veröffentlichten Testläufe wird gelesen</translation>
    </message>
    <message>
        <source>Reading the published test runs</source>
        <translation>Veröffentlichte Testläufe werden gelesen</translation>
    </message>
    <message>
        <source>Copying the shared test-run records</source>
        <translation>Geteilte Testlauf-Einträge werden kopiert</translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunStore</name>
    <message>
        <source>Reading test source %1</source>
        <translation>Testquelle %1 wird gelesen</translation>
    </message>
    <message>
        <source>The test source &quot;%1&quot; gathers %2 runs; choose another name for these.</source>
        <translation>Die Testquelle „%1“ sammelt %2-Läufe; wählen Sie für diese einen anderen Namen.</translation>
    </message>
    <message>
        <source>Adding test source %1</source>
        <translation>Testquelle %1 wird hinzugefügt</translation>
    </message>
    <message>
        <source>Writing test case names to the cache</source>
        <translation>Namen der Testfälle werden in den Cache geschrieben</translation>
    </message>
    <message>
        <source>Writing test cases to the cache</source>
        <translation>Testfälle werden in den Cache geschrieben</translation>
    </message>
    <message>
        <source>Writing test case details to the cache</source>
        <translation>Details der Testfälle werden in den Cache geschrieben</translation>
    </message>
    <message>
        <source>Reading test case names</source>
        <translation>Namen der Testfälle werden gelesen</translation>
    </message>
    <message>
        <source>Reading test run %1</source>
        <translation>Testlauf %1 wird gelesen</translation>
    </message>
    <message>
        <source>There is no test run %1 in the cache.</source>
        <translation>Im Cache gibt es keinen Testlauf %1.</translation>
    </message>
    <message>
        <source>Reading the cases of test run %1</source>
        <translation>Fälle von Testlauf %1 werden gelesen</translation>
    </message>
    <message>
        <source>A test source needs a name of 1 to 200 characters.</source>
        <translation>Eine Testquelle braucht einen Namen von 1 bis 200 Zeichen.</translation>
    </message>
    <message>
        <source>Adding a test run to the cache</source>
        <translation>Ein Testlauf wird dem Cache hinzugefügt</translation>
    </message>
    <message>
        <source>The import was cancelled; nothing of it was kept.</source>
        <translation>Der Import wurde abgebrochen; nichts davon wurde behalten.</translation>
    </message>
    <message>
        <source>Writing the figures of test run %1</source>
        <translation>Kennzahlen von Testlauf %1 werden geschrieben</translation>
    </message>
    <message>
        <source>Writing the signature of test run %1</source>
        <translation>Signatur von Testlauf %1 wird geschrieben</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 existiert nicht.</translation>
    </message>
    <message>
        <source>The folder %1 holds no .xml files.</source>
        <translation>Der Ordner %1 enthält keine .xml-Dateien.</translation>
    </message>
    <message>
        <source>Reading who hears about the test runs</source>
        <translation>Wird gelesen, wer von den Testläufen erfährt</translation>
    </message>
    <message>
        <source>There is no test source %1.</source>
        <translation>Es gibt keine Testquelle %1.</translation>
    </message>
    <message>
        <source>Saving who hears about %1</source>
        <translation>Wird gespeichert, wer von %1 erfährt</translation>
    </message>
    <message>
        <source>Recording a notification</source>
        <translation>Eine Benachrichtigung wird festgehalten</translation>
    </message>
    <message>
        <source>A run read from several reports needs its run key.</source>
        <translation>Ein Lauf aus mehreren Berichten braucht seinen Laufschlüssel.</translation>
    </message>
    <message>
        <source>%1 is not a JUnit report; it was left out.</source>
        <translation>%1 ist kein JUnit-Bericht; er wurde ausgelassen.</translation>
    </message>
    <message numerus="yes">
        <source>None of the %n file(s) is a JUnit report.</source>
        <translation>
            <numerusform>Die %n Datei ist kein JUnit-Bericht.</numerusform>
            <numerusform>Keine der %n Dateien ist ein JUnit-Bericht.</numerusform>
        </translation>
    </message>
    <message>
        <source>There is a test source named &quot;%1&quot; already; choose another name.</source>
        <translation>Es gibt bereits eine Testquelle namens „%1“; wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <source>Saving test source %1</source>
        <translation>Testquelle %1 wird gespeichert</translation>
    </message>
    <message>
        <source>There is no test source %1 of that kind (removed meanwhile?).</source>
        <translation>Es gibt keine Testquelle %1 dieser Art (inzwischen entfernt?).</translation>
    </message>
    <message>
        <source>There is no test source %1 (removed meanwhile?).</source>
        <translation>Es gibt keine Testquelle %1 (inzwischen entfernt?).</translation>
    </message>
    <message>
        <source>Removing test source %1</source>
        <translation>Testquelle %1 wird entfernt</translation>
    </message>
    <message>
        <source>Reading the mock servers&apos; health history</source>
        <translation>Zustandsverlauf der Mock-Server wird gelesen</translation>
    </message>
    <message>
        <source>Reading the test runs for a cleanup</source>
        <translation>Testläufe für eine Bereinigung werden gelesen</translation>
    </message>
    <message>
        <source>Reading the sources of old test runs</source>
        <translation>Quellen alter Testläufe werden gelesen</translation>
    </message>
    <message>
        <source>Removing old test runs</source>
        <translation>Alte Testläufe werden entfernt</translation>
    </message>
    <message>
        <source>Removing the names of cases no run has any more</source>
        <translation>Namen von Fällen, die kein Lauf mehr hat, werden entfernt</translation>
    </message>
    <message>
        <source>Removing old mock health samples</source>
        <translation>Alte Zustandsproben von Mocks werden entfernt</translation>
    </message>
    <message>
        <source>test runs</source>
        <translation>Testläufe</translation>
    </message>
    <message>
        <source>There is no test run %1 (removed meanwhile?).</source>
        <translation>Es gibt keinen Testlauf %1 (inzwischen entfernt?).</translation>
    </message>
    <message>
        <source>Keeping test run %1</source>
        <translation>Testlauf %1 wird behalten</translation>
    </message>
    <message>
        <source>Run %1 of %2 has %3 cases, too many for the workspace: it stays on this desktop.</source>
        <translation>Lauf %1 von %2 hat %3 Fälle, zu viele für den Arbeitsbereich: Er bleibt auf diesem Desktop.</translation>
    </message>
    <message>
        <source>Run %1 of %2 came from the workspace: it is published already.</source>
        <translation>Lauf %1 von %2 kam aus dem Arbeitsbereich: Er ist bereits veröffentlicht.</translation>
    </message>
    <message>
        <source>The record published as run %1 of %2 says it is run %3 of %4.</source>
        <translation>Der als Lauf %1 von %2 veröffentlichte Eintrag sagt, er sei Lauf %3 von %4.</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>aus %1</translation>
    </message>
    <message>
        <source>team workspace, published by %1 from %2</source>
        <translation>Team-Arbeitsbereich, veröffentlicht von %1 aus %2</translation>
    </message>
    <message>
        <source>Adding a published test run to the cache</source>
        <translation>Ein veröffentlichter Testlauf wird dem Cache hinzugefügt</translation>
    </message>
    <message>
        <source>Run %1 of %2 from the workspace does not read back as published; it was not adopted.</source>
        <translation>Lauf %1 von %2 aus dem Arbeitsbereich liest sich nicht als veröffentlicht zurück; er wurde nicht übernommen.</translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunsCli</name>
    <message>
        <source>%1 tests, %2 passed, %3 failed, %4 errors, %5 skipped, %6 flaky, %7 s</source>
        <translation>%1 Tests, %2 bestanden, %3 fehlgeschlagen, %4 Fehler, %5 übersprungen, %6 instabil, %7 s</translation>
    </message>
    <message>
        <source>%1: the refusal was not recorded in the audit log: %2</source>
        <translation>%1: Die Ablehnung wurde nicht im Audit-Log festgehalten: %2</translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation>Diese Hilfe anzeigen.</translation>
    </message>
    <message>
        <source>The data directory.</source>
        <translation>Das Datenverzeichnis.</translation>
    </message>
    <message>
        <source>dir</source>
        <translation>Verz</translation>
    </message>
    <message>
        <source>The source the runs belong to (default: files).</source>
        <translation>Die Quelle, zu der die Läufe gehören (Standard: files).</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NAME</translation>
    </message>
    <message>
        <source>The branch the runs tested.</source>
        <translation>Der Branch, den die Läufe getestet haben.</translation>
    </message>
    <message>
        <source>BRANCH</source>
        <translation>BRANCH</translation>
    </message>
    <message>
        <source>The commit the runs tested.</source>
        <translation>Der Commit, den die Läufe getestet haben.</translation>
    </message>
    <message>
        <source>SHA</source>
        <translation>SHA</translation>
    </message>
    <message>
        <source>Read and count each report; import nothing.</source>
        <translation>Jeden Bericht lesen und zählen; nichts importieren.</translation>
    </message>
    <message>
        <source>import</source>
        <translation>import</translation>
    </message>
    <message>
        <source>Report files or folders.</source>
        <translation>Berichtsdateien oder -ordner.</translation>
    </message>
    <message>
        <source>which reports? Give one or more files or folders.</source>
        <translation>welche Berichte? Geben Sie eine oder mehrere Dateien oder Ordner an.</translation>
    </message>
    <message>
        <source>a source needs a name of 1 to 200 characters.</source>
        <translation>eine Quelle braucht einen Namen von 1 bis 200 Zeichen.</translation>
    </message>
    <message>
        <source>the runs are imported unsigned: the run-signing key is not available (%1)</source>
        <translation>die Läufe werden unsigniert importiert: Der Lauf-Signaturschlüssel ist nicht verfügbar (%1)</translation>
    </message>
    <message>
        <source>%1: refused: %2</source>
        <translation>%1: abgelehnt: %2</translation>
    </message>
    <message>
        <source>%1: already imported as run %2 of %3</source>
        <translation>%1: bereits importiert als Lauf %2 von %3</translation>
    </message>
    <message>
        <source>%1: %2%3</source>
        <translation>%1: %2%3</translation>
    </message>
    <message>
        <source> (dry run: not imported)</source>
        <translation> (Probelauf: nicht importiert)</translation>
    </message>
    <message>
        <source> (run %1 of %2)</source>
        <translation> (Lauf %1 von %2)</translation>
    </message>
    <message>
        <source>note: %1</source>
        <translation>Hinweis: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n report(s) refused; nothing of a refused report was kept.</source>
        <translation>
            <numerusform>%n Bericht abgelehnt; von einem abgelehnten Bericht wurde nichts behalten.</numerusform>
            <numerusform>%n Berichte abgelehnt; von einem abgelehnten Bericht wurde nichts behalten.</numerusform>
        </translation>
    </message>
    <message>
        <source>the cleanup failed, nothing was removed: %1</source>
        <translation>die Bereinigung ist fehlgeschlagen, es wurde nichts entfernt: %1</translation>
    </message>
    <message>
        <source>could not remove the artifact folder %1</source>
        <translation>der Artefaktordner %1 konnte nicht entfernt werden</translation>
    </message>
    <message>
        <source>Test runs from JUnit XML reports (pytest, Maven Surefire and Failsafe, Gradle, jest-junit, go-junit-report, cargo-nextest, TestNG, CTest, PHPUnit).

  opsdeck testruns import [--dry-run] [--json] [--source NAME] [--branch B] [--commit SHA] PATH...
      each report file, and each .xml file under a folder, becomes one run of the source (&quot;files&quot; unless given), imported in a transaction of its own with its audit event and signed with the key in the keychain; a report imported before is not imported again. One line per file with its totals (tests, passed, failed, errors, skipped, flaky, time), or why it was refused. Exit 0 when every report was imported, 1 when any was refused (nothing of a refused report is kept), 2 for a usage error.

  opsdeck testruns cleanup [--dry-run] [--json] [--days N] [--runs N]
      removes runs older than N days and, of each source, all but its newest N runs (default: the limits saved in Settings › Retention…; 0 lifts a limit), with their golden artifact folders and old mock health samples, in one transaction with a testrun.retention event. Kept runs stay. --dry-run says what would go. Exit 0, or 1 when the cache could not be cleaned, 2 for a usage error.</source>
        <translation>Testläufe aus JUnit-XML-Berichten (pytest, Maven Surefire und Failsafe, Gradle, jest-junit, go-junit-report, cargo-nextest, TestNG, CTest, PHPUnit).

  opsdeck testruns import [--dry-run] [--json] [--source NAME] [--branch B] [--commit SHA] PFAD...
      jede Berichtsdatei und jede .xml-Datei in einem Ordner wird ein Lauf der Quelle („files“, sofern nicht angegeben), importiert in einer eigenen Transaktion mit ihrem Audit-Ereignis und signiert mit dem Schlüssel aus dem Schlüsselbund; ein bereits importierter Bericht wird nicht erneut importiert. Eine Zeile je Datei mit ihren Summen (Tests, bestanden, fehlgeschlagen, Fehler, übersprungen, instabil, Zeit) oder dem Grund der Ablehnung. Exit-Code 0, wenn jeder Bericht importiert wurde, 1, wenn einer abgelehnt wurde (von einem abgelehnten Bericht wird nichts behalten), 2 bei einem Bedienfehler.

  opsdeck testruns cleanup [--dry-run] [--json] [--days N] [--runs N]
      entfernt Läufe, die älter als N Tage sind, und von jeder Quelle alle außer ihren neuesten N Läufen (Standard: die unter Einstellungen › Aufbewahrung… gespeicherten Limits; 0 hebt ein Limit auf), mit ihren Golden-Artefaktordnern und alten Zustandsproben von Mocks, in einer Transaktion mit einem testrun.retention-Ereignis. Behaltene Läufe bleiben. --dry-run sagt, was wegkäme. Exit-Code 0, oder 1, wenn der Cache nicht bereinigt werden konnte, 2 bei einem Bedienfehler.</translation>
    </message>
    <message>
        <source>Print the outcome as JSON.</source>
        <translation>Das Ergebnis als JSON ausgeben.</translation>
    </message>
    <message>
        <source>cleanup: keep runs for N days (0: any age).</source>
        <translation>cleanup: Läufe N Tage behalten (0: jedes Alter).</translation>
    </message>
    <message>
        <source>cleanup: keep the newest N runs of each source (0: all).</source>
        <translation>cleanup: die neuesten N Läufe jeder Quelle behalten (0: alle).</translation>
    </message>
    <message>
        <source>cleanup takes no paths.</source>
        <translation>cleanup nimmt keine Pfade.</translation>
    </message>
    <message>
        <source>--%1 takes a whole number from 0 to %2, not &quot;%3&quot;.</source>
        <translation>--%1 nimmt eine ganze Zahl von 0 bis %2, nicht „%3“.</translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;: use import or cleanup.</source>
        <translation>unbekannter Befehl „%1“: Verwenden Sie import oder cleanup.</translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunsModel</name>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>Branch</translation>
    </message>
    <message>
        <source>Commit</source>
        <translation>Commit</translation>
    </message>
    <message>
        <source>Tests</source>
        <translation>Tests</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>Bestanden</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschl.</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message>
        <source>Flaky</source>
        <translation>Instabil</translation>
    </message>
    <message>
        <source>Pass rate</source>
        <translation>Erfolgsquote</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signatur</translation>
    </message>
    <message>
        <source>Reading the test runs</source>
        <translation>Testläufe werden gelesen</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>wird geprüft…</translation>
    </message>
    <message>
        <source>This run was imported without a signing key, so edits to it cannot be detected.</source>
        <translation>Dieser Lauf wurde ohne Signaturschlüssel importiert, daher können Änderungen daran nicht erkannt werden.</translation>
    </message>
    <message>
        <source>The run&apos;s record no longer matches its signature: its source, totals or a case&apos;s outcome or duration were changed after it was imported.</source>
        <translation>Der Eintrag des Laufs passt nicht mehr zu seiner Signatur: Quelle, Summen oder Ergebnis oder Dauer eines Falls wurden nach dem Import verändert.</translation>
    </message>
    <message>
        <source>The run&apos;s record matches the signature made with the key in your keychain.</source>
        <translation>Der Eintrag des Laufs passt zu der Signatur, die mit dem Schlüssel in Ihrem Schlüsselbund erstellt wurde.</translation>
    </message>
    <message>
        <source>Kept through every cleanup.</source>
        <translation>Wird bei jeder Bereinigung behalten.</translation>
    </message>
    <message>
        <source>A teammate published this run from the team workspace, signed with a key your keychain does not hold, so it cannot be checked on this desktop.</source>
        <translation>Ein Teammitglied hat diesen Lauf aus dem Team-Arbeitsbereich veröffentlicht, signiert mit einem Schlüssel, den Ihr Schlüsselbund nicht hat; daher kann er auf diesem Desktop nicht geprüft werden.</translation>
    </message>
    <message>
        <source>The signature is being checked.</source>
        <translation>Die Signatur wird geprüft.</translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunsPane</name>
    <message>
        <source>Test runs</source>
        <translation>Testläufe</translation>
    </message>
    <message>
        <source>Runs of your test suites from their JUnit XML reports: what failed, what fails newly, which cases are flaky, and how the runs trend.</source>
        <translation>Läufe Ihrer Test-Suiten aus ihren JUnit-XML-Berichten: was fehlschlug, was neu fehlschlägt, welche Fälle instabil sind und wie sich die Läufe entwickeln.</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Importieren…</translation>
    </message>
    <message>
        <source>Import JUnit XML reports (Ctrl+I); or drop them onto this pane.</source>
        <translation>JUnit-XML-Berichte importieren (Strg+I); oder ziehen Sie sie auf diesen Bereich.</translation>
    </message>
    <message>
        <source>All sources</source>
        <translation>Alle Quellen</translation>
    </message>
    <message>
        <source>Filter runs by source, name, branch or commit…</source>
        <translation>Läufe nach Quelle, Name, Branch oder Commit filtern…</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Quelle:</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;No test runs yet.&lt;/b&gt; Import JUnit XML reports with &lt;b&gt;File › Import Test Results…&lt;/b&gt; (Ctrl+I), drop report files or folders onto this pane, or from a script: &lt;code&gt;opsdeck testruns import --source NAME PATH…&lt;/code&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Noch keine Testläufe.&lt;/b&gt; Importieren Sie JUnit-XML-Berichte mit &lt;b&gt;Datei › Testergebnisse importieren…&lt;/b&gt; (Strg+I), ziehen Sie Berichtsdateien oder -ordner auf diesen Bereich, oder aus einem Skript: &lt;code&gt;opsdeck testruns import --source NAME PFAD…&lt;/code&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Cases</source>
        <translation>&amp;Fälle</translation>
    </message>
    <message>
        <source>&amp;Flaky</source>
        <translation>&amp;Instabil</translation>
    </message>
    <message>
        <source>T&amp;rends</source>
        <translation>T&amp;rends</translation>
    </message>
    <message>
        <source>Com&amp;pare</source>
        <translation>&amp;Vergleichen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>The test runs cannot be read: %1</source>
        <translation>Die Testläufe können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Use as &amp;Baseline</source>
        <translation>Als &amp;Basis verwenden</translation>
    </message>
    <message>
        <source>New failures are now judged against this run for the runs of its source.</source>
        <translation>Neue Fehlschläge werden für die Läufe seiner Quelle jetzt gegen diesen Lauf beurteilt.</translation>
    </message>
    <message>
        <source>Compare with &amp;Previous Run</source>
        <translation>Mit &amp;vorherigem Lauf vergleichen</translation>
    </message>
    <message>
        <source>This run has no earlier run of its source on its branch to compare with.</source>
        <translation>Dieser Lauf hat keinen früheren Lauf seiner Quelle auf seinem Branch zum Vergleichen.</translation>
    </message>
    <message>
        <source>Check &amp;Signatures Again</source>
        <translation>&amp;Signaturen erneut prüfen</translation>
    </message>
    <message>
        <source>Copy &amp;Commit</source>
        <translation>&amp;Commit kopieren</translation>
    </message>
    <message>
        <source>Report %1 of %2</source>
        <translation>Bericht %1 von %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n report(s).</source>
        <translation>
            <numerusform>%n Bericht importiert.</numerusform>
            <numerusform>%n Berichte importiert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already imported before.</source>
        <translation>
            <numerusform>%n bereits zuvor importiert.</numerusform>
            <numerusform>%n bereits zuvor importiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled: nothing of the report being read was kept.</source>
        <translation>Abgebrochen: Vom gerade gelesenen Bericht wurde nichts behalten.</translation>
    </message>
    <message numerus="yes">
        <source>%n refused: nothing of it was imported.</source>
        <translation>
            <numerusform>%n abgelehnt: Nichts davon wurde importiert.</numerusform>
            <numerusform>%n abgelehnt: Nichts davon wurde importiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reports Refused</source>
        <translation>Abgelehnte Berichte</translation>
    </message>
    <message numerus="yes">
        <source>%n report(s) could not be imported; nothing of them was kept.</source>
        <translation>
            <numerusform>%n Bericht konnte nicht importiert werden; nichts davon wurde behalten.</numerusform>
            <numerusform>%n Berichte konnten nicht importiert werden; nichts davon wurde behalten.</numerusform>
        </translation>
    </message>
    <message>
        <source>All cases</source>
        <translation>Alle Fälle</translation>
    </message>
    <message>
        <source>Failing</source>
        <translation>Fehlschlagend</translation>
    </message>
    <message>
        <source>New failures</source>
        <translation>Neue Fehlschläge</translation>
    </message>
    <message>
        <source>Flaky</source>
        <translation>Instabil</translation>
    </message>
    <message>
        <source>Fixed</source>
        <translation>Behoben</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message>
        <source>Filter cases by name, class, suite or message…</source>
        <translation>Fälle nach Name, Klasse, Suite oder Meldung filtern…</translation>
    </message>
    <message>
        <source>New failures fail in this run and passed in the baseline.</source>
        <translation>Neue Fehlschläge schlagen in diesem Lauf fehl und bestanden im Basislauf.</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Zeigen:</translation>
    </message>
    <message>
        <source>Baseline:</source>
        <translation>Basis:</translation>
    </message>
    <message>
        <source>A case counts as slower when it took this much longer than in the base run.</source>
        <translation>Ein Fall gilt als langsamer, wenn er so viel länger brauchte als im Basislauf.</translation>
    </message>
    <message>
        <source>Co&amp;mpare</source>
        <translation>Ver&amp;gleichen</translation>
    </message>
    <message>
        <source>Base:</source>
        <translation>Basis:</translation>
    </message>
    <message>
        <source>with:</source>
        <translation>mit:</translation>
    </message>
    <message>
        <source>slower by more than</source>
        <translation>langsamer um mehr als</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Fall</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <source>An import is running; wait for it to finish or cancel it.</source>
        <translation>Ein Import läuft; warten Sie, bis er fertig ist, oder brechen Sie ihn ab.</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Wird importiert…</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 · %3 tests: %4 passed, %5 failed, %6 errors, %7 skipped, %8 flaky · %9</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · %2 · %3 Tests: %4 bestanden, %5 fehlgeschlagen, %6 Fehler, %7 übersprungen, %8 instabil · %9</translation>
    </message>
    <message>
        <source>branch %1</source>
        <translation>Branch %1</translation>
    </message>
    <message>
        <source>tampered: its record no longer matches its signature</source>
        <translation>manipuliert: Sein Eintrag passt nicht mehr zu seiner Signatur</translation>
    </message>
    <message>
        <source>Read with notes: %1</source>
        <translation>Gelesen mit Hinweisen: %1</translation>
    </message>
    <message>
        <source>Previous run on the same branch</source>
        <translation>Vorheriger Lauf auf demselben Branch</translation>
    </message>
    <message>
        <source>No earlier run of this source on this branch: every case is judged on its own.</source>
        <translation>Kein früherer Lauf dieser Quelle auf diesem Branch: Jeder Fall wird für sich beurteilt.</translation>
    </message>
    <message>
        <source>run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message numerus="yes">
        <source>Against %1: %n new failure(s)</source>
        <translation>
            <numerusform>Gegenüber %1: %n neuer Fehlschlag</numerusform>
            <numerusform>Gegenüber %1: %n neue Fehlschläge</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n fixed</source>
        <translation>
            <numerusform>, %n behoben</numerusform>
            <numerusform>, %n behoben</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n flaky.</source>
        <translation>
            <numerusform>, %n instabil.</numerusform>
            <numerusform>, %n instabil.</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose two different runs to compare.</source>
        <translation>Wählen Sie zwei verschiedene Läufe zum Vergleichen.</translation>
    </message>
    <message>
        <source>Newly failing (%1)</source>
        <translation>Neu fehlschlagend (%1)</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <source>failing</source>
        <translation>fehlschlagend</translation>
    </message>
    <message>
        <source>Fixed (%1)</source>
        <translation>Behoben (%1)</translation>
    </message>
    <message>
        <source>Still failing (%1)</source>
        <translation>Weiterhin fehlschlagend (%1)</translation>
    </message>
    <message>
        <source>Added (%1)</source>
        <translation>Hinzugekommen (%1)</translation>
    </message>
    <message>
        <source>new</source>
        <translation>neu</translation>
    </message>
    <message>
        <source>Removed (%1)</source>
        <translation>Entfernt (%1)</translation>
    </message>
    <message>
        <source>was there</source>
        <translation>war vorhanden</translation>
    </message>
    <message>
        <source>Slower by more than %1 % (%2)</source>
        <translation>Langsamer um mehr als %1 % (%2)</translation>
    </message>
    <message>
        <source>%1 (+%2 %)</source>
        <translation>%1 (+%2 %)</translation>
    </message>
    <message>
        <source>Flaky &amp;Rules…</source>
        <translation>&amp;Regeln für instabile Tests…</translation>
    </message>
    <message>
        <source>Flaky: a case whose result flips in more than %1 % of its last %2 runs (judged after %3 runs)</source>
        <translation>Instabil: ein Fall, dessen Ergebnis in mehr als %1 % seiner letzten %2 Läufe wechselt (beurteilt ab %3 Läufen)</translation>
    </message>
    <message>
        <source>, or that passed on a rerun after failing.</source>
        <translation>, oder der bei einer Wiederholung nach einem Fehlschlag bestand.</translation>
    </message>
    <message>
        <source>&amp;Notifications…</source>
        <translation>&amp;Benachrichtigungen…</translation>
    </message>
    <message>
        <source>Slack and Jira for the selected run&apos;s source, on failed runs or new failures.</source>
        <translation>Slack und Jira für die Quelle des ausgewählten Laufs, bei fehlgeschlagenen Läufen oder neuen Fehlschlägen.</translation>
    </message>
    <message>
        <source>Jira</source>
        <translation>Jira</translation>
    </message>
    <message>
        <source>Slack</source>
        <translation>Slack</translation>
    </message>
    <message>
        <source>%1 was told about %2.</source>
        <translation>%1 wurde über %2 informiert.</translation>
    </message>
    <message>
        <source>%1 issue %2 created for %3.</source>
        <translation>%1-Vorgang %2 für %3 angelegt.</translation>
    </message>
    <message>
        <source>%1 could not be told about %2 (the run is imported): %3</source>
        <translation>%1 konnte nicht über %2 informiert werden (der Lauf ist importiert): %3</translation>
    </message>
    <message>
        <source>Notifications saved.</source>
        <translation>Benachrichtigungen gespeichert.</translation>
    </message>
    <message>
        <source>Notifications not saved: %1</source>
        <translation>Benachrichtigungen nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>Saving the notifications of %1…</source>
        <translation>Benachrichtigungen von %1 werden gespeichert…</translation>
    </message>
    <message>
        <source>&amp;Telemetry…</source>
        <translation>&amp;Telemetrie…</translation>
    </message>
    <message>
        <source>Post each signed run record to a receiver of yours.</source>
        <translation>Jeden signierten Laufeintrag an einen eigenen Empfänger senden.</translation>
    </message>
    <message>
        <source>The signed record was not posted (the run is imported): %1</source>
        <translation>Der signierte Eintrag wurde nicht gesendet (der Lauf ist importiert): %1</translation>
    </message>
    <message>
        <source>Telemetry</source>
        <translation>Telemetrie</translation>
    </message>
    <message>
        <source>Each signed run record is posted as JSON (resources/schemas/opsdeck-run-1.schema.json) to this address, its HMAC-SHA256 signature in the X-Opsdeck-Signature header. The receiver checks it with the run-signing key (keychain entry testruns/run-signing-key). Empty: no telemetry.

Receiver:</source>
        <translation>Jeder signierte Laufeintrag wird als JSON (resources/schemas/opsdeck-run-1.schema.json) an diese Adresse gesendet, seine HMAC-SHA256-Signatur im Header X-Opsdeck-Signature. Der Empfänger prüft sie mit dem Lauf-Signaturschlüssel (Schlüsselbund-Eintrag testruns/run-signing-key). Leer: keine Telemetrie.

Empfänger:</translation>
    </message>
    <message>
        <source>Telemetry is off.</source>
        <translation>Telemetrie ist aus.</translation>
    </message>
    <message>
        <source>Signed run records go to %1.</source>
        <translation>Signierte Laufeinträge gehen an %1.</translation>
    </message>
    <message>
        <source>&amp;GitHub…</source>
        <translation>&amp;GitHub…</translation>
    </message>
    <message>
        <source>Test runs from the GitHub Actions artifacts of chosen repositories.</source>
        <translation>Testläufe aus den GitHub-Actions-Artefakten ausgewählter Repositorys.</translation>
    </message>
    <message>
        <source>Go&amp;lden Suites…</source>
        <translation>Go&amp;lden-Suiten…</translation>
    </message>
    <message>
        <source>Golden HTTP suites Opsdeck runs against a server or mock of yours.</source>
        <translation>Golden-HTTP-Suiten, die Opsdeck gegen einen Ihrer Server oder Mocks ausführt.</translation>
    </message>
    <message>
        <source>Open &amp;Artifacts Folder</source>
        <translation>&amp;Artefaktordner öffnen</translation>
    </message>
    <message>
        <source>&amp;Mocks…</source>
        <translation>&amp;Mocks…</translation>
    </message>
    <message>
        <source>Mock servers for golden suites: health, uptime, restarts.</source>
        <translation>Mock-Server für Golden-Suiten: Zustand, Verfügbarkeit, Neustarts.</translation>
    </message>
    <message>
        <source>Se&amp;ttings</source>
        <translation>Ein&amp;stellungen</translation>
    </message>
    <message>
        <source>&amp;Retention…</source>
        <translation>&amp;Aufbewahrung…</translation>
    </message>
    <message>
        <source>How long runs and their artifacts are kept.</source>
        <translation>Wie lange Läufe und ihre Artefakte aufbewahrt werden.</translation>
    </message>
    <message>
        <source>Retention: %1</source>
        <translation>Aufbewahrung: %1</translation>
    </message>
    <message>
        <source>&amp;Keep Through Cleanups</source>
        <translation>Bei Bereinigungen &amp;behalten</translation>
    </message>
    <message>
        <source>Runs are kept for %1 and %2 of each source.</source>
        <translation>Läufe bleiben %1, von jeder Quelle %2.</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tage</numerusform>
        </translation>
    </message>
    <message>
        <source>ever</source>
        <translation>für immer</translation>
    </message>
    <message numerus="yes">
        <source>the newest %n</source>
        <translation>
            <numerusform>die neueste %n</numerusform>
            <numerusform>die neuesten %n</numerusform>
        </translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) from teammates arrived from the team workspace.</source>
        <translation>
            <numerusform>%n Lauf von Teammitgliedern kam aus dem Team-Arbeitsbereich.</numerusform>
            <numerusform>%n Läufe von Teammitgliedern kamen aus dem Team-Arbeitsbereich.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The team workspace changed %n source(s) and %1 here.</source>
        <translation>
            <numerusform>Der Team-Arbeitsbereich hat hier %n Quelle und %1 geändert.</numerusform>
            <numerusform>Der Team-Arbeitsbereich hat hier %n Quellen und %1 geändert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mock(s)</source>
        <translation>
            <numerusform>%n Mock</numerusform>
            <numerusform>%n Mocks</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Signing Key…</source>
        <translation>&amp;Signaturschlüssel…</translation>
    </message>
    <message>
        <source>The key runs are signed with; the team&apos;s, so that teammates check each other&apos;s runs.</source>
        <translation>Der Schlüssel, mit dem Läufe signiert werden; der des Teams, damit Teammitglieder gegenseitig ihre Läufe prüfen.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) published to the team workspace.</source>
        <translation>
            <numerusform>%n Lauf im Team-Arbeitsbereich veröffentlicht.</numerusform>
            <numerusform>%n Läufe im Team-Arbeitsbereich veröffentlicht.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) wait for the team workspace to answer.</source>
        <translation>
            <numerusform>%n Lauf wartet auf eine Antwort des Team-Arbeitsbereichs.</numerusform>
            <numerusform>%n Läufe warten auf eine Antwort des Team-Arbeitsbereichs.</numerusform>
        </translation>
    </message>
    <message>
        <source>Slower by</source>
        <translation>Langsamer um</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>Vergleich</translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunsService</name>
    <message>
        <source>Runs are imported unsigned: the run-signing key is not available (%1)</source>
        <translation>Läufe werden unsigniert importiert: Der Lauf-Signaturschlüssel ist nicht verfügbar (%1)</translation>
    </message>
    <message>
        <source>Signatures cannot be checked: the run-signing key is not available.</source>
        <translation>Signaturen können nicht geprüft werden: Der Lauf-Signaturschlüssel ist nicht verfügbar.</translation>
    </message>
    <message>
        <source>Nothing was saved: %1</source>
        <translation>Es wurde nichts gespeichert: %1</translation>
    </message>
    <message>
        <source>The %1 secret is not in the keychain: %2</source>
        <translation>Das Geheimnis %1 ist nicht im Schlüsselbund: %2</translation>
    </message>
    <message>
        <source>Slack webhook</source>
        <translation>Slack-Webhook</translation>
    </message>
    <message>
        <source>Jira API token</source>
        <translation>Jira-API-Token</translation>
    </message>
    <message>
        <source>Posting the run to Slack</source>
        <translation>Der Lauf wird an Slack gesendet</translation>
    </message>
    <message>
        <source>Creating a Jira issue for the run</source>
        <translation>Für den Lauf wird ein Jira-Vorgang angelegt</translation>
    </message>
    <message>
        <source>The run&apos;s record is larger than 64 MiB; it was not posted.</source>
        <translation>Der Eintrag des Laufs ist größer als 64 MiB; er wurde nicht gesendet.</translation>
    </message>
    <message>
        <source>The record&apos;s schema is missing from this build.</source>
        <translation>Das Schema des Eintrags fehlt in diesem Build.</translation>
    </message>
    <message>
        <source>Posting the run&apos;s signed record</source>
        <translation>Der signierte Eintrag des Laufs wird gesendet</translation>
    </message>
    <message>
        <source>%1 cannot be written: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>%1 saved.</source>
        <translation>%1 gespeichert.</translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation>Entfernt.</translation>
    </message>
    <message>
        <source>A golden suite is running already; start this one when it is done.</source>
        <translation>Eine Golden-Suite läuft bereits; starten Sie diese, wenn sie fertig ist.</translation>
    </message>
    <message>
        <source>There is no golden suite %1 (removed meanwhile?).</source>
        <translation>Es gibt keine Golden-Suite %1 (inzwischen entfernt?).</translation>
    </message>
    <message>
        <source>The golden run was cancelled; nothing of it was kept.</source>
        <translation>Der Golden-Lauf wurde abgebrochen; nichts davon wurde behalten.</translation>
    </message>
    <message>
        <source>The golden run&apos;s artifacts cannot be kept: %1 cannot be made.</source>
        <translation>Die Artefakte des Golden-Laufs können nicht aufbewahrt werden: %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Golden run %1</source>
        <translation>Golden-Lauf %1</translation>
    </message>
    <message>
        <source>%1: %2 of %3 cases passed, %4 failed, %5 without an answer.</source>
        <translation>%1: %2 von %3 Fällen bestanden, %4 fehlgeschlagen, %5 ohne Antwort.</translation>
    </message>
    <message>
        <source>Health check of %1</source>
        <translation>Zustandsprüfung von %1</translation>
    </message>
    <message>
        <source>%1 answered %2 in %3 ms.</source>
        <translation>%1 hat in %3 ms %2 geantwortet.</translation>
    </message>
    <message>
        <source>%1 answered %2.</source>
        <translation>%1 hat %2 geantwortet.</translation>
    </message>
    <message>
        <source>The cache is open read-only: nothing can be cleaned up.</source>
        <translation>Der Cache ist schreibgeschützt geöffnet: Es kann nichts bereinigt werden.</translation>
    </message>
    <message>
        <source>test runs</source>
        <translation>Testläufe</translation>
    </message>
    <message>
        <source>The cleanup failed, nothing was removed: %1</source>
        <translation>Die Bereinigung ist fehlgeschlagen, es wurde nichts entfernt: %1</translation>
    </message>
    <message>
        <source>These artifact folders could not be removed: %1</source>
        <translation>Diese Artefaktordner konnten nicht entfernt werden: %1</translation>
    </message>
    <message>
        <source>This run is kept through every cleanup.</source>
        <translation>Dieser Lauf wird bei jeder Bereinigung behalten.</translation>
    </message>
    <message>
        <source>This run is cleaned up like any other once the retention limits reach it.</source>
        <translation>Dieser Lauf wird wie jeder andere bereinigt, sobald die Aufbewahrungslimits ihn erreichen.</translation>
    </message>
    <message>
        <source>The mock %1 was down at its last check (%2: %3), so failures may be the mock&apos;s.</source>
        <translation>Der Mock %1 war bei seiner letzten Prüfung nicht erreichbar (%2: %3), daher können Fehlschläge am Mock liegen.</translation>
    </message>
    <message>
        <source>There is no run-signing key: the keychain is not available.</source>
        <translation>Es gibt keinen Lauf-Signaturschlüssel: Der Schlüsselbund ist nicht verfügbar.</translation>
    </message>
    <message>
        <source>The demo signs with its own key, which does not change.</source>
        <translation>Die Demo signiert mit ihrem eigenen Schlüssel, der sich nicht ändert.</translation>
    </message>
    <message>
        <source>The keychain is not available, so no key can be kept.</source>
        <translation>Der Schlüsselbund ist nicht verfügbar, daher kann kein Schlüssel aufbewahrt werden.</translation>
    </message>
    <message>
        <source>This desktop signs with that key already.</source>
        <translation>Dieser Desktop signiert bereits mit diesem Schlüssel.</translation>
    </message>
    <message>
        <source>The key was not changed: %1</source>
        <translation>Der Schlüssel wurde nicht geändert: %1</translation>
    </message>
    <message>
        <source>Recording which key signed the runs so far</source>
        <translation>Es wird festgehalten, welcher Schlüssel die bisherigen Läufe signiert hat</translation>
    </message>
    <message>
        <source>Runs are signed with key %1 from now on; those signed before with key %2 stay checkable.</source>
        <translation>Läufe werden ab jetzt mit Schlüssel %1 signiert; die zuvor mit Schlüssel %2 signierten bleiben prüfbar.</translation>
    </message>
</context>
<context>
    <name>opsdeck::TrendsChart</name>
    <message>
        <source>Select a run to see the trends of its source.</source>
        <translation>Wählen Sie einen Lauf, um die Trends seiner Quelle zu sehen.</translation>
    </message>
    <message>
        <source>%1 has one run so far: trends need two or more.</source>
        <translation>%1 hat bisher einen Lauf: Trends brauchen zwei oder mehr.</translation>
    </message>
    <message>
        <source>%1: pass rate and duration per run</source>
        <translation>%1: Erfolgsquote und Dauer je Lauf</translation>
    </message>
    <message>
        <source>Pass rate (%)</source>
        <translation>Erfolgsquote (%)</translation>
    </message>
    <message>
        <source>Duration (s)</source>
        <translation>Dauer (s)</translation>
    </message>
    <message>
        <source>Pass rate</source>
        <translation>Erfolgsquote</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
</context>
<context>
    <name>opsdeck::TunnelConfig</name>
    <message>
        <source>The port %1 is not a port: use 1 to 65535.</source>
        <translation>Der Port %1 ist kein Port: Verwenden Sie 1 bis 65535.</translation>
    </message>
    <message>
        <source>The tunnel configuration is not valid YAML (line %1, column %2): %3</source>
        <translation>Die Tunnel-Konfiguration ist kein gültiges YAML (Zeile %1, Spalte %2): %3</translation>
    </message>
    <message>
        <source>The tunnel configuration must be a mapping of keys.</source>
        <translation>Die Tunnel-Konfiguration muss ein Mapping von Schlüsseln sein.</translation>
    </message>
    <message>
        <source>&quot;ingress&quot; must be a list of rules.</source>
        <translation>„ingress“ muss eine Liste von Regeln sein.</translation>
    </message>
    <message>
        <source>Each ingress rule must be a mapping (hostname, service, …).</source>
        <translation>Jede Ingress-Regel muss ein Mapping sein (hostname, service, …).</translation>
    </message>
    <message>
        <source>The tunnel configuration cannot be read: %1</source>
        <translation>Die Tunnel-Konfiguration kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The config file doesn&apos;t contain any ingress rules.</source>
        <translation>Die Konfigurationsdatei enthält keine Ingress-Regeln.</translation>
    </message>
    <message>
        <source>Rule #%1</source>
        <translation>Regel #%1</translation>
    </message>
    <message>
        <source>%1: invalid HTTP status code &quot;%2&quot; (100 to 999).</source>
        <translation>%1: ungültiger HTTP-Statuscode „%2“ (100 bis 999).</translation>
    </message>
    <message>
        <source>%1: %2 is an invalid address, please make sure it has a scheme and a hostname.</source>
        <translation>%1: %2 ist eine ungültige Adresse; stellen Sie sicher, dass sie ein Schema und einen Hostnamen hat.</translation>
    </message>
    <message>
        <source>an empty service</source>
        <translation>ein leerer Dienst</translation>
    </message>
    <message>
        <source>%1: %2 is an invalid address, ingress rules don&apos;t support proxying to a different path on the origin service.</source>
        <translation>%1: %2 ist eine ungültige Adresse; Ingress-Regeln unterstützen kein Weiterleiten auf einen anderen Pfad des Ursprungsdienstes.</translation>
    </message>
    <message>
        <source>%1: Hostname cannot contain a port (&quot;%2&quot;).</source>
        <translation>%1: Der Hostname darf keinen Port enthalten („%2“).</translation>
    </message>
    <message>
        <source>%1: Hostname patterns can have at most one wildcard character (&quot;*&quot;) and it can only be used for subdomains, e.g. &quot;*.example.com&quot;.</source>
        <translation>%1: Hostname-Muster dürfen höchstens ein Platzhalterzeichen („*“) haben, und nur für Subdomains, z. B. „*.example.com“.</translation>
    </message>
    <message>
        <source>The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter).</source>
        <translation>Die letzte Ingress-Regel muss auf alle URLs passen (sie darf also keinen Hostnamen- oder Pfadfilter haben).</translation>
    </message>
    <message>
        <source>Rule #%1 is matching the hostname &apos;%2&apos;, but this will match every hostname, meaning the rules which follow it will never be triggered.</source>
        <translation>Regel #%1 passt auf den Hostnamen &apos;%2&apos;, aber das passt auf jeden Hostnamen, sodass die folgenden Regeln nie greifen.</translation>
    </message>
    <message>
        <source>Rule #%1 has an invalid regex: %2</source>
        <translation>Regel #%1 hat einen ungültigen regulären Ausdruck: %2</translation>
    </message>
    <message>
        <source>%1 has an ingress rule already: update it instead of adding another.</source>
        <translation>%1 hat bereits eine Ingress-Regel: Aktualisieren Sie sie, statt eine weitere hinzuzufügen.</translation>
    </message>
    <message>
        <source>The ingress list is not written as a block list (&quot;- hostname: …&quot;): Opsdeck edits only that form, to keep the file as it is.</source>
        <translation>Die Ingress-Liste ist nicht als Blockliste geschrieben („- hostname: …“): Opsdeck bearbeitet nur diese Form, um die Datei zu erhalten, wie sie ist.</translation>
    </message>
    <message>
        <source>%1 has no ingress rule to update.</source>
        <translation>%1 hat keine Ingress-Regel zum Aktualisieren.</translation>
    </message>
    <message>
        <source>%1 has no ingress rule to remove.</source>
        <translation>%1 hat keine Ingress-Regel zum Entfernen.</translation>
    </message>
    <message>
        <source>Cannot back up %1 to %2: nothing was changed.</source>
        <translation>%1 kann nicht nach %2 gesichert werden: Es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2 (the old file is unchanged).</source>
        <translation>%1 kann nicht geschrieben werden: %2 (die alte Datei ist unverändert).</translation>
    </message>
    <message>
        <source>Opsdeck cannot edit this configuration safely: read back, the file does not hold the rules the change should give. Edit it by hand.</source>
        <translation>Opsdeck kann diese Konfiguration nicht sicher bearbeiten: Zurückgelesen enthält die Datei nicht die Regeln, die die Änderung ergeben sollte. Bearbeiten Sie sie von Hand.</translation>
    </message>
</context>
<context>
    <name>opsdeck::TunnelRoutes</name>
    <message>
        <source>Cannot read the tunnel configuration %1: %2</source>
        <translation>Die Tunnel-Konfiguration %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is larger than 4 MB: not a cloudflared configuration.</source>
        <translation>%1 ist größer als 4 MB: keine cloudflared-Konfiguration.</translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>%1 kann nicht gestartet werden: %2</translation>
    </message>
    <message>
        <source>%1 did not finish within %2 s and was stopped.</source>
        <translation>%1 wurde nicht innerhalb von %2 s fertig und wurde gestoppt.</translation>
    </message>
    <message>
        <source>%1 failed (exit code %2).</source>
        <translation>%1 ist fehlgeschlagen (Exit-Code %2).</translation>
    </message>
    <message>
        <source>%1 has an ingress rule already: update it instead of adding another.</source>
        <translation>%1 hat bereits eine Ingress-Regel: Aktualisieren Sie sie, statt eine weitere hinzuzufügen.</translation>
    </message>
    <message>
        <source>The port %1 is not a port: use 1 to 65535.</source>
        <translation>Der Port %1 ist kein Port: Verwenden Sie 1 bis 65535.</translation>
    </message>
    <message>
        <source>%1 has no ingress rule to update.</source>
        <translation>%1 hat keine Ingress-Regel zum Aktualisieren.</translation>
    </message>
    <message>
        <source>%1 has no ingress rule to remove.</source>
        <translation>%1 hat keine Ingress-Regel zum Entfernen.</translation>
    </message>
    <message>
        <source>Set the tunnel&apos;s configuration file (a locally managed tunnel) or its tunnel ID (a remotely managed one) on the connection %1.</source>
        <translation>Legen Sie die Konfigurationsdatei des Tunnels (lokal verwaltet) oder seine Tunnel-ID (fernverwaltet) in der Verbindung %1 fest.</translation>
    </message>
    <message>
        <source>Reading the configuration of tunnel %1</source>
        <translation>Konfiguration von Tunnel %1 wird gelesen</translation>
    </message>
    <message>
        <source>The tunnel configuration changed since the preview: look at the new difference and apply again.</source>
        <translation>Die Tunnel-Konfiguration hat sich seit der Vorschau geändert: Sehen Sie sich den neuen Unterschied an und wenden Sie erneut an.</translation>
    </message>
    <message>
        <source>Wrote %1.</source>
        <translation>%1 geschrieben.</translation>
    </message>
    <message>
        <source>Wrote %1 (the previous version is in %2).</source>
        <translation>%1 geschrieben (die vorherige Fassung liegt in %2).</translation>
    </message>
    <message>
        <source>No restart command is set on the connection: cloudflared picks the change up when it restarts.</source>
        <translation>In der Verbindung ist kein Neustart-Befehl festgelegt: cloudflared übernimmt die Änderung beim nächsten Neustart.</translation>
    </message>
    <message>
        <source>The restart command &quot;%1&quot; cannot be split into arguments.</source>
        <translation>Der Neustart-Befehl „%1“ kann nicht in Argumente zerlegt werden.</translation>
    </message>
    <message>
        <source>The configuration was written, but restarting cloudflared failed: %1</source>
        <translation>Die Konfiguration wurde geschrieben, aber der Neustart von cloudflared ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>cloudflared is not installed here: create the DNS record for %1 yourself (cloudflared tunnel route dns %2 %1).</source>
        <translation>cloudflared ist hier nicht installiert: Legen Sie den DNS-Eintrag für %1 selbst an (cloudflared tunnel route dns %2 %1).</translation>
    </message>
    <message>
        <source>The configuration was written, but the DNS route failed: %1</source>
        <translation>Die Konfiguration wurde geschrieben, aber die DNS-Route ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Updating the configuration of tunnel %1</source>
        <translation>Konfiguration von Tunnel %1 wird aktualisiert</translation>
    </message>
    <message>
        <source>Updated the tunnel configuration.</source>
        <translation>Tunnel-Konfiguration aktualisiert.</translation>
    </message>
    <message>
        <source>No zone ID on the connection: create or delete the DNS record for %1 yourself.</source>
        <translation>Keine Zonen-ID in der Verbindung: Legen Sie den DNS-Eintrag für %1 selbst an oder löschen Sie ihn.</translation>
    </message>
    <message>
        <source>Opsdeck: tunnel route</source>
        <translation>Opsdeck: Tunnel-Route</translation>
    </message>
    <message>
        <source>Creating the DNS record %1</source>
        <translation>DNS-Eintrag %1 wird angelegt</translation>
    </message>
    <message>
        <source>The route was added, but the DNS record failed: %1</source>
        <translation>Die Route wurde hinzugefügt, aber der DNS-Eintrag ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Created the DNS record %1 → %2.</source>
        <translation>DNS-Eintrag %1 → %2 angelegt.</translation>
    </message>
    <message>
        <source>Looking up the DNS record %1</source>
        <translation>DNS-Eintrag %1 wird gesucht</translation>
    </message>
    <message>
        <source>No DNS record of %1 points at this tunnel: nothing to delete.</source>
        <translation>Kein DNS-Eintrag von %1 zeigt auf diesen Tunnel: nichts zu löschen.</translation>
    </message>
    <message>
        <source>Deleting the DNS record %1</source>
        <translation>DNS-Eintrag %1 wird gelöscht</translation>
    </message>
    <message>
        <source>Deleted the DNS record %1.</source>
        <translation>DNS-Eintrag %1 gelöscht.</translation>
    </message>
</context>
<context>
    <name>opsdeck::TunnelService</name>
    <message>
        <source>%1 is not a Cloudflare connection.</source>
        <translation>%1 ist keine Cloudflare-Verbindung.</translation>
    </message>
    <message>
        <source>This is the demo workspace: Opsdeck does not change any tunnel here.</source>
        <translation>Dies ist der Demo-Arbeitsbereich: Opsdeck ändert hier keinen Tunnel.</translation>
    </message>
</context>
<context>
    <name>opsdeck::UsersPane</name>
    <message>
        <source>Provision a just-in-time runner</source>
        <translation>Einen Just-in-time-Runner bereitstellen</translation>
    </message>
    <message>
        <source>Provision with a registration token</source>
        <translation>Mit einem Registrierungs-Token bereitstellen</translation>
    </message>
    <message>
        <source>Remove a runner they provisioned</source>
        <translation>Einen selbst bereitgestellten Runner entfernen</translation>
    </message>
    <message>
        <source>Remove someone else&apos;s runner</source>
        <translation>Den Runner eines anderen entfernen</translation>
    </message>
    <message>
        <source>Change a label policy</source>
        <translation>Eine Label-Richtlinie ändern</translation>
    </message>
    <message>
        <source>Stop a container</source>
        <translation>Einen Container stoppen</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>Bereitstellen</translation>
    </message>
    <message>
        <source>Change a tunnel route</source>
        <translation>Eine Tunnel-Route ändern</translation>
    </message>
    <message>
        <source>Manage users and admins</source>
        <translation>Benutzer und Admins verwalten</translation>
    </message>
    <message>
        <source>Manage superusers</source>
        <translation>Superuser verwalten</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>People across your platform</source>
        <translation>Personen auf Ihrer Plattform</translation>
    </message>
    <message>
        <source>Everyone in your team workspace: their role, what they may do and why, and the runners they own. Join a team workspace with opsdeck team init (run once by the database owner) and opsdeck team person add; this desktop then keeps a copy to read offline.</source>
        <translation>Alle in Ihrem Team-Arbeitsbereich: ihre Rolle, was sie dürfen und warum, und die Runner, die ihnen gehören. Treten Sie einem Team-Arbeitsbereich bei mit opsdeck team init (einmal vom Eigentümer der Datenbank ausgeführt) und opsdeck team person add; dieser Desktop hält dann eine Kopie, um offline zu lesen.</translation>
    </message>
    <message>
        <source>Any role</source>
        <translation>Jede Rolle</translation>
    </message>
    <message>
        <source>Admins</source>
        <translation>Admins</translation>
    </message>
    <message>
        <source>Superusers</source>
        <translation>Superuser</translation>
    </message>
    <message>
        <source>Active or not</source>
        <translation>Aktiv oder nicht</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>Deaktiviert</translation>
    </message>
    <message>
        <source>Filter by login, name, email or GitHub login</source>
        <translation>Nach Login, Name, E-Mail oder GitHub-Login filtern</translation>
    </message>
    <message>
        <source>&amp;Permissions</source>
        <translation>&amp;Berechtigungen</translation>
    </message>
    <message>
        <source>Runners and &amp;Deployments</source>
        <translation>Runner und &amp;Deployments</translation>
    </message>
    <message>
        <source>Recent Ac&amp;tions</source>
        <translation>Letzte Ak&amp;tionen</translation>
    </message>
    <message>
        <source>Select a person to see what they may do, and why.</source>
        <translation>Wählen Sie eine Person, um zu sehen, was sie darf und warum.</translation>
    </message>
    <message numerus="yes">
        <source>Role %1, %2; %n runner(s) owned.</source>
        <translation>
            <numerusform>Rolle %1, %2; %n Runner im Besitz.</numerusform>
            <numerusform>Rolle %1, %2; %n Runner im Besitz.</numerusform>
        </translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>deaktiviert</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>&amp;Add Person…</source>
        <translation>Person &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Add someone to the workspace (Ctrl+Shift+N)</source>
        <translation>Jemanden zum Arbeitsbereich hinzufügen (Strg+Umschalt+N)</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>Edit the selected person&apos;s name, email and GitHub login (F2)</source>
        <translation>Name, E-Mail und GitHub-Login der ausgewählten Person bearbeiten (F2)</translation>
    </message>
    <message>
        <source>Change &amp;Role…</source>
        <translation>&amp;Rolle ändern…</translation>
    </message>
    <message>
        <source>Make the selected people users, admins or superusers</source>
        <translation>Die ausgewählten Personen zu Benutzern, Admins oder Superusern machen</translation>
    </message>
    <message>
        <source>&amp;Deactivate…</source>
        <translation>&amp;Deaktivieren…</translation>
    </message>
    <message>
        <source>Deactivate the selected people, with a comment for the audit log (Delete)</source>
        <translation>Die ausgewählten Personen deaktivieren, mit einem Kommentar für das Audit-Log (Entf)</translation>
    </message>
    <message>
        <source>Rea&amp;ctivate…</source>
        <translation>Rea&amp;ktivieren…</translation>
    </message>
    <message>
        <source>Let the selected people sign in again</source>
        <translation>Die ausgewählten Personen sich wieder anmelden lassen</translation>
    </message>
    <message>
        <source>&amp;Offboard…</source>
        <translation>&amp;Offboarding…</translation>
    </message>
    <message>
        <source>Take the selected person out of everything at once: the workspace, GitHub, their runners and deployments, Harbor and LiteLLM, step by step</source>
        <translation>Die ausgewählte Person auf einmal überall herausnehmen: Arbeitsbereich, GitHub, ihre Runner und Deployments, Harbor und LiteLLM, Schritt für Schritt</translation>
    </message>
    <message>
        <source>&amp;Link My GitHub…</source>
        <translation>Mein GitHub &amp;verknüpfen…</translation>
    </message>
    <message>
        <source>Link your own GitHub login to the workspace through GitHub&apos;s device flow</source>
        <translation>Ihren eigenen GitHub-Login über den Device Flow von GitHub mit dem Arbeitsbereich verknüpfen</translation>
    </message>
    <message>
        <source>Access &amp;Review…</source>
        <translation>Zugriffs&amp;prüfung…</translation>
    </message>
    <message>
        <source>Go through everyone&apos;s role and grants, keep or revoke each, and sign it off</source>
        <translation>Rolle und Berechtigungen aller durchgehen, jede behalten oder entziehen und abzeichnen</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made.</source>
        <translation>
            <numerusform>%n Änderung vorgenommen.</numerusform>
            <numerusform>%n Änderungen vorgenommen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused: %1</source>
        <translation>
            <numerusform>%n abgelehnt: %1</numerusform>
            <numerusform>%n abgelehnt: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Grant…</source>
        <translation>&amp;Gewähren…</translation>
    </message>
    <message>
        <source>Allow or deny the selected person, or everyone with their role, an action</source>
        <translation>Der ausgewählten Person oder allen mit ihrer Rolle eine Aktion erlauben oder verweigern</translation>
    </message>
    <message>
        <source>Re&amp;voke…</source>
        <translation>&amp;Entziehen…</translation>
    </message>
    <message>
        <source>Take the selected grant back, with a reason for the audit log</source>
        <translation>Die ausgewählte Berechtigung zurücknehmen, mit einem Grund für das Audit-Log</translation>
    </message>
    <message numerus="yes">
        <source>Changing %n grant(s)…</source>
        <translation>
            <numerusform>%n Berechtigung wird geändert…</numerusform>
            <numerusform>%n Berechtigungen werden geändert…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Changing %n person(s)…</source>
        <translation>
            <numerusform>%n Person wird geändert…</numerusform>
            <numerusform>%n Personen werden geändert…</numerusform>
        </translation>
    </message>
    <message>
        <source>The workspace has not said who acts on this desktop yet.</source>
        <translation>Der Arbeitsbereich hat noch nicht gesagt, wer auf diesem Desktop handelt.</translation>
    </message>
</context>
<context>
    <name>opsdeck::Validation</name>
    <message>
        <source>&quot;%1&quot; is not a GitHub account name: use 1 to 39 letters, digits or single hyphens, not at the start or end.</source>
        <translation>„%1“ ist kein GitHub-Kontoname: Verwenden Sie 1 bis 39 Buchstaben, Ziffern oder einzelne Bindestriche, nicht am Anfang oder Ende.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a repository name: use 1 to 100 letters, digits, &apos;.&apos;, &apos;-&apos; or &apos;_&apos; (and not &quot;.&quot; or &quot;..&quot;).</source>
        <translation>„%1“ ist kein Repository-Name: Verwenden Sie 1 bis 100 Buchstaben, Ziffern, &apos;.&apos;, &apos;-&apos; oder &apos;_&apos; (und nicht „.“ oder „..“).</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a repository: write it as owner/name.</source>
        <translation>„%1“ ist kein Repository: Schreiben Sie es als owner/name.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a container name: start with a letter or digit, then use letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos; (128 at most).</source>
        <translation>„%1“ ist kein Containername: Beginnen Sie mit einem Buchstaben oder einer Ziffer, dann Buchstaben, Ziffern, &apos;_&apos;, &apos;.&apos; oder &apos;-&apos; (höchstens 128).</translation>
    </message>
    <message>
        <source>The %1 &quot;%2&quot; is not a port: use a number from 1 to 65535.</source>
        <translation>Der %1 „%2“ ist kein Port: Verwenden Sie eine Zahl von 1 bis 65535.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid DNS label (RFC 1123): 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen.</source>
        <translation>„%1“ ist kein gültiges DNS-Label (RFC 1123): 1 bis 63 Buchstaben, Ziffern oder Bindestriche, nicht mit einem Bindestrich beginnend oder endend.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a host name: 1 to 253 characters (RFC 1123).</source>
        <translation>„%1“ ist kein Hostname: 1 bis 253 Zeichen (RFC 1123).</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a host name: %2</source>
        <translation>„%1“ ist kein Hostname: %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an environment variable name: start with a letter or &apos;_&apos;, then letters, digits or &apos;_&apos;.</source>
        <translation>„%1“ ist kein Name einer Umgebungsvariable: Beginnen Sie mit einem Buchstaben oder &apos;_&apos;, dann Buchstaben, Ziffern oder &apos;_&apos;.</translation>
    </message>
    <message>
        <source>The path &quot;%1&quot; leads outside %2.</source>
        <translation>Der Pfad „%1“ führt aus %2 hinaus.</translation>
    </message>
    <message>
        <source>The directory %1 does not exist.</source>
        <translation>Das Verzeichnis %1 existiert nicht.</translation>
    </message>
    <message>
        <source>&quot;*&quot; alone is the catch-all rule, which stays last: a route needs a host name such as app.example.com or *.example.com.</source>
        <translation>„*“ allein ist die Auffangregel, die zuletzt bleibt: Eine Route braucht einen Hostnamen wie app.example.com oder *.example.com.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a wildcard host name: after &quot;*.&quot; comes a host name (%2).</source>
        <translation>„%1“ ist kein Platzhalter-Hostname: Nach „*.“ kommt ein Hostname (%2).</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: a wildcard (&quot;*&quot;) can only be the whole first label, as in &quot;*.example.com&quot;.</source>
        <translation>„%1“: Ein Platzhalter („*“) kann nur das ganze erste Label sein, wie in „*.example.com“.</translation>
    </message>
</context>
<context>
    <name>opsdeck::VulnGate</name>
    <message>
        <source>Name the vulnerability the exception covers (CVE-2024-6119).</source>
        <translation>Nennen Sie die Schwachstelle, die die Ausnahme abdeckt (CVE-2024-6119).</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a vulnerability identifier such as CVE-2024-6119 or GHSA-xxxx-xxxx-xxxx.</source>
        <translation>„%1“ ist keine Schwachstellenkennung wie CVE-2024-6119 oder GHSA-xxxx-xxxx-xxxx.</translation>
    </message>
    <message>
        <source>Say which image or which project the exception for %1 covers.</source>
        <translation>Sagen Sie, welches Image oder welches Projekt die Ausnahme für %1 abdeckt.</translation>
    </message>
    <message>
        <source>Say why %1 may run despite %2: the reason is kept with the exception.</source>
        <translation>Sagen Sie, warum %1 trotz %2 laufen darf: Der Grund wird mit der Ausnahme gespeichert.</translation>
    </message>
    <message>
        <source>project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>The reason is longer than 2,000 characters.</source>
        <translation>Der Grund ist länger als 2.000 Zeichen.</translation>
    </message>
    <message>
        <source>An exception for %1 needs an expiry: exceptions end, findings get fixed.</source>
        <translation>Eine Ausnahme für %1 braucht ein Ablaufdatum: Ausnahmen enden, Befunde werden behoben.</translation>
    </message>
    <message>
        <source>The exception for %1 would expire %2, which is past.</source>
        <translation>Die Ausnahme für %1 liefe %2 ab, was vorbei ist.</translation>
    </message>
    <message>
        <source>Reading the image scans</source>
        <translation>Image-Scans werden gelesen</translation>
    </message>
    <message>
        <source>Running container</source>
        <translation>Laufender Container</translation>
    </message>
    <message>
        <source>Recent deploy</source>
        <translation>Letztes Deploy</translation>
    </message>
    <message>
        <source>Allowlist entry</source>
        <translation>Freigabelisten-Eintrag</translation>
    </message>
    <message>
        <source>blocks %1 and above, and images never scanned</source>
        <translation>sperrt %1 und höher sowie nie gescannte Images</translation>
    </message>
    <message>
        <source>blocks %1 and above</source>
        <translation>sperrt %1 und höher</translation>
    </message>
    <message>
        <source>blocks images never scanned</source>
        <translation>sperrt nie gescannte Images</translation>
    </message>
    <message>
        <source>blocks nothing</source>
        <translation>sperrt nichts</translation>
    </message>
    <message>
        <source>%1 in project %2</source>
        <translation>%1 in Projekt %2</translation>
    </message>
    <message>
        <source>exception %1 for %2 on %3 (%4, until %5)</source>
        <translation>Ausnahme %1 für %2 auf %3 (%4, bis %5)</translation>
    </message>
    <message>
        <source>fixed in %1</source>
        <translation>behoben in %1</translation>
    </message>
    <message>
        <source>no fix yet</source>
        <translation>noch keine Behebung</translation>
    </message>
    <message>
        <source>no synced Harbor registry holds this image, so it was never scanned</source>
        <translation>keine synchronisierte Harbor-Registry enthält dieses Image, daher wurde es nie gescannt</translation>
    </message>
    <message>
        <source>it was never scanned</source>
        <translation>es wurde nie gescannt</translation>
    </message>
    <message>
        <source>its scan has no result (%1)</source>
        <translation>sein Scan hat kein Ergebnis (%1)</translation>
    </message>
    <message>
        <source>Vulnerability gate: %1, and the gate blocks images never scanned.</source>
        <translation>Schwachstellen-Sperre: %1, und die Sperre blockiert nie gescannte Images.</translation>
    </message>
    <message>
        <source>Vulnerability gate: %1; the gate lets unscanned images through.</source>
        <translation>Schwachstellen-Sperre: %1; die Sperre lässt ungescannte Images durch.</translation>
    </message>
    <message>
        <source>Vulnerability gate: no finding at %1 or above.</source>
        <translation>Schwachstellen-Sperre: kein Befund auf %1 oder höher.</translation>
    </message>
    <message>
        <source>Vulnerability gate: findings at %1 or above: %2; the vulnerability report has not been read, so neither the findings nor their exceptions can be named (a registry sync reads it).</source>
        <translation>Schwachstellen-Sperre: Befunde auf %1 oder höher: %2; der Schwachstellenbericht wurde nicht gelesen, daher können weder die Befunde noch ihre Ausnahmen genannt werden (eine Registry-Synchronisierung liest ihn).</translation>
    </message>
    <message>
        <source>Vulnerability gate: every finding at %1 or above is covered by exceptions %2.</source>
        <translation>Schwachstellen-Sperre: Jeder Befund auf %1 oder höher ist durch die Ausnahmen %2 abgedeckt.</translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform> und %n weiterer</numerusform>
            <numerusform> und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>Vulnerability gate (%1): %2%3.</source>
        <translation>Schwachstellen-Sperre (%1): %2%3.</translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkflowRuns</name>
    <message>
        <source>GitHub&apos;s %1 is not valid JSON (%2 at byte %3).</source>
        <translation>%1 von GitHub ist kein gültiges JSON (%2 bei Byte %3).</translation>
    </message>
    <message>
        <source>GitHub&apos;s %1 lacks &quot;%2&quot; or &quot;total_count&quot;.</source>
        <translation>%1 von GitHub fehlt „%2“ oder „total_count“.</translation>
    </message>
    <message>
        <source>GitHub&apos;s %1: item %2 has no valid &quot;%3&quot;.</source>
        <translation>%1 von GitHub: Element %2 hat kein gültiges „%3“.</translation>
    </message>
    <message>
        <source>list of workflow runs</source>
        <translation>Liste der Workflow-Läufe</translation>
    </message>
    <message>
        <source>list of artifacts</source>
        <translation>Liste der Artefakte</translation>
    </message>
    <message>
        <source>Name one repository as owner/name, such as acme/api (got &quot;%1&quot;).</source>
        <translation>Nennen Sie ein Repository als owner/name, etwa acme/api (erhalten: „%1“).</translation>
    </message>
    <message>
        <source>The artifact pattern needs 1 to 200 characters; * reads every artifact.</source>
        <translation>Das Artefaktmuster braucht 1 bis 200 Zeichen; * liest jedes Artefakt.</translation>
    </message>
    <message>
        <source>The artifact pattern &quot;%1&quot; is not a valid wildcard: %2</source>
        <translation>Das Artefaktmuster „%1“ ist kein gültiges Platzhaltermuster: %2</translation>
    </message>
    <message>
        <source>The first sync reads 1 to 100 workflow runs (got %1).</source>
        <translation>Die erste Synchronisierung liest 1 bis 100 Workflow-Läufe (erhalten: %1).</translation>
    </message>
    <message>
        <source>Workflow run</source>
        <translation>Workflow-Lauf</translation>
    </message>
    <message>
        <source>%1 #%2 · %3</source>
        <translation>%1 #%2 · %3</translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkflowRunsModel</name>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Workflow run</source>
        <translation>Workflow-Lauf</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>Branch</translation>
    </message>
    <message>
        <source>Commit</source>
        <translation>Commit</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Conclusion</source>
        <translation>Abschluss</translation>
    </message>
    <message>
        <source>Artifacts</source>
        <translation>Artefakte</translation>
    </message>
    <message>
        <source>Reading the workflow runs</source>
        <translation>Workflow-Läufe werden gelesen</translation>
    </message>
    <message>
        <source>%1 #%2 · %3</source>
        <translation>%1 #%2 · %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>noch keine</translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkspaceAccess</name>
    <message>
        <source>there is no Opsdeck cache at %1: start Opsdeck once with this data directory.</source>
        <translation>unter %1 gibt es keinen Opsdeck-Cache: Starten Sie Opsdeck einmal mit diesem Datenverzeichnis.</translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkspaceService</name>
    <message>
        <source>the store stopped answering</source>
        <translation>der Speicher antwortet nicht mehr</translation>
    </message>
    <message>
        <source>The local workspace of this desktop; %1 is its superuser.</source>
        <translation>Der lokale Arbeitsbereich dieses Desktops; %1 ist sein Superuser.</translation>
    </message>
    <message>
        <source>Signed in to %1.</source>
        <translation>Bei %1 angemeldet.</translation>
    </message>
    <message>
        <source>%1 holds no Opsdeck workspace yet: its database owner runs opsdeck team init first.</source>
        <translation>%1 enthält noch keinen Opsdeck-Arbeitsbereich: Der Eigentümer seiner Datenbank führt zuerst opsdeck team init aus.</translation>
    </message>
    <message>
        <source>%1 holds workspace schema %2, older than this Opsdeck needs (%3): its database owner runs opsdeck team init again, which upgrades it.</source>
        <translation>%1 enthält Arbeitsbereichs-Schema %2, älter als dieses Opsdeck braucht (%3): Der Eigentümer seiner Datenbank führt opsdeck team init erneut aus, was es aktualisiert.</translation>
    </message>
    <message>
        <source>%1 holds workspace schema %2, newer than this Opsdeck knows (%3): use a newer Opsdeck.</source>
        <translation>%1 enthält Arbeitsbereichs-Schema %2, neuer als dieses Opsdeck kennt (%3): Verwenden Sie ein neueres Opsdeck.</translation>
    </message>
    <message>
        <source>%1 is deactivated in this workspace.</source>
        <translation>%1 ist in diesem Arbeitsbereich deaktiviert.</translation>
    </message>
    <message>
        <source>The store does not deliver change announcements: %1</source>
        <translation>Der Speicher liefert keine Änderungsmeldungen: %1</translation>
    </message>
    <message>
        <source>Joined %1.</source>
        <translation>%1 beigetreten.</translation>
    </message>
    <message>
        <source>The team workspace is offline (%1). Showing the copy from %2; trying again in %3 s.</source>
        <translation>Der Team-Arbeitsbereich ist offline (%1). Die Kopie von %2 wird gezeigt; neuer Versuch in %3 s.</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>Reading the workspace</source>
        <translation>Arbeitsbereich wird gelesen</translation>
    </message>
    <message>
        <source>Replacing the copy of the team workspace</source>
        <translation>Kopie des Team-Arbeitsbereichs wird ersetzt</translation>
    </message>
    <message>
        <source>Copying the people of the team workspace</source>
        <translation>Personen des Team-Arbeitsbereichs werden kopiert</translation>
    </message>
    <message>
        <source>Copying the grants of the team workspace</source>
        <translation>Berechtigungen des Team-Arbeitsbereichs werden kopiert</translation>
    </message>
    <message>
        <source>Copying who provisioned which runner</source>
        <translation>Wird kopiert, wer welchen Runner bereitgestellt hat</translation>
    </message>
    <message>
        <source>Copying the runner label policies</source>
        <translation>Label-Richtlinien der Runner werden kopiert</translation>
    </message>
    <message>
        <source>Recording the copy of the team workspace</source>
        <translation>Kopie des Team-Arbeitsbereichs wird festgehalten</translation>
    </message>
    <message>
        <source>Audit events could not be sent to the team workspace: %1</source>
        <translation>Audit-Ereignisse konnten nicht an den Team-Arbeitsbereich gesendet werden: %1</translation>
    </message>
    <message>
        <source>%1: the workspace does not answer, so the budget records cannot change now. Try again once it is back online.</source>
        <translation>%1: Der Arbeitsbereich antwortet nicht, daher können die Budget-Einträge jetzt nicht geändert werden. Versuchen Sie es erneut, sobald er wieder online ist.</translation>
    </message>
    <message>
        <source>%1: the workspace does not answer, so nobody&apos;s record can change now. Try again once it is back online.</source>
        <translation>%1: Der Arbeitsbereich antwortet nicht, daher kann jetzt kein Personeneintrag geändert werden. Versuchen Sie es erneut, sobald er wieder online ist.</translation>
    </message>
    <message>
        <source>%1: %2 is not a person of this workspace.</source>
        <translation>%1: %2 ist keine Person dieses Arbeitsbereichs.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>There is no grant %1 in this workspace (revoked already?).</source>
        <translation>In diesem Arbeitsbereich gibt es keine Berechtigung %1 (bereits entzogen?).</translation>
    </message>
    <message>
        <source>%1: the workspace does not answer, so no grant can change now. Try again once it is back online.</source>
        <translation>%1: Der Arbeitsbereich antwortet nicht, daher kann jetzt keine Berechtigung geändert werden. Versuchen Sie es erneut, sobald er wieder online ist.</translation>
    </message>
    <message>
        <source>The workspace does not answer, so nothing can be imported now. Try again once it is back online.</source>
        <translation>Der Arbeitsbereich antwortet nicht, daher kann jetzt nichts importiert werden. Versuchen Sie es erneut, sobald er wieder online ist.</translation>
    </message>
    <message>
        <source>The expiry is not in the future.</source>
        <translation>Der Ablauf liegt nicht in der Zukunft.</translation>
    </message>
    <message>
        <source>%1: the workspace does not answer, so the image records cannot change now. Try again once it is back online.</source>
        <translation>%1: Der Arbeitsbereich antwortet nicht, daher können die Image-Einträge jetzt nicht geändert werden. Versuchen Sie es erneut, sobald er wieder online ist.</translation>
    </message>
    <message>
        <source>Reading the demo workspace</source>
        <translation>Demo-Arbeitsbereich wird gelesen</translation>
    </message>
    <message>
        <source>Reading the demo team</source>
        <translation>Demo-Team wird gelesen</translation>
    </message>
    <message>
        <source>Seeding the demo workspace</source>
        <translation>Demo-Arbeitsbereich wird befüllt</translation>
    </message>
    <message>
        <source>The workspace does not answer, so the introduction cannot be recorded now.</source>
        <translation>Der Arbeitsbereich antwortet nicht, daher kann die Einführung jetzt nicht festgehalten werden.</translation>
    </message>
    <message>
        <source>The workspace does not answer, so the review cannot be signed off now.</source>
        <translation>Der Arbeitsbereich antwortet nicht, daher kann die Prüfung jetzt nicht abgezeichnet werden.</translation>
    </message>
    <message>
        <source>Only a superuser signs off an access review.</source>
        <translation>Nur ein Superuser zeichnet eine Zugriffsprüfung ab.</translation>
    </message>
    <message>
        <source>access review</source>
        <translation>Zugriffsprüfung</translation>
    </message>
    <message numerus="yes">
        <source>Review %1 signed off: %n item(s) decided, %2 revoked.</source>
        <translation>
            <numerusform>Prüfung %1 abgezeichnet: %n Punkt entschieden, %2 entzogen.</numerusform>
            <numerusform>Prüfung %1 abgezeichnet: %n Punkte entschieden, %2 entzogen.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: the workspace does not answer, so the shared test-run records cannot change now. Try again once it is back online.</source>
        <translation>%1: Der Arbeitsbereich antwortet nicht, daher können die geteilten Testlauf-Einträge jetzt nicht geändert werden. Versuchen Sie es erneut, sobald er wieder online ist.</translation>
    </message>
    <message>
        <source>There is no shared test-run source %1 in this workspace.</source>
        <translation>In diesem Arbeitsbereich gibt es keine geteilte Testlauf-Quelle %1.</translation>
    </message>
    <message>
        <source>There is no shared mock %1 in this workspace.</source>
        <translation>In diesem Arbeitsbereich gibt es keinen geteilten Mock %1.</translation>
    </message>
    <message>
        <source>the store is closed</source>
        <translation>der Speicher ist geschlossen</translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkspaceStatus</name>
    <message>
        <source>The workspace has not been read yet.</source>
        <translation>Der Arbeitsbereich wurde noch nicht gelesen.</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>This desktop&apos;s own workspace (%1). File › Team workspace… joins a team&apos;s.</source>
        <translation>Der eigene Arbeitsbereich dieses Desktops (%1). Datei › Team-Arbeitsbereich… tritt dem eines Teams bei.</translation>
    </message>
    <message>
        <source>The local workspace cannot be opened: %1</source>
        <translation>Der lokale Arbeitsbereich kann nicht geöffnet werden: %1</translation>
    </message>
    <message numerus="yes">
        <source> %n audit event(s) wait to be sent.</source>
        <translation>
            <numerusform> %n Audit-Ereignis wartet auf das Senden.</numerusform>
            <numerusform> %n Audit-Ereignisse warten auf das Senden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Team workspace %1: online, up to date (read %2).%3</source>
        <translation>Team-Arbeitsbereich %1: online, aktuell (gelesen %2).%3</translation>
    </message>
    <message>
        <source>Team workspace %1 is offline (%2): showing the copy read %3. Changes to people and grants are refused until it answers.%4</source>
        <translation>Team-Arbeitsbereich %1 ist offline (%2): Die Kopie von %3 wird gezeigt. Änderungen an Personen und Berechtigungen werden abgelehnt, bis er antwortet.%4</translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkspaceStore</name>
    <message>
        <source>&quot;%1&quot; is not a workspace address: %2 Write postgresql://LOGIN@HOST[:PORT]/DATABASE.</source>
        <translation>„%1“ ist keine Arbeitsbereichsadresse: %2 Schreiben Sie postgresql://LOGIN@HOST[:PORT]/DATENBANK.</translation>
    </message>
    <message>
        <source>it must start with postgresql://.</source>
        <translation>sie muss mit postgresql:// beginnen.</translation>
    </message>
    <message>
        <source>the password does not go into the address (it would be kept in settings and shell history); Opsdeck asks for it, or takes PGPASSWORD.</source>
        <translation>das Passwort gehört nicht in die Adresse (es würde in Einstellungen und Shell-Verlauf landen); Opsdeck fragt danach oder nimmt PGPASSWORD.</translation>
    </message>
    <message>
        <source>it names no host.</source>
        <translation>sie nennt keinen Host.</translation>
    </message>
    <message>
        <source>it names no database.</source>
        <translation>sie nennt keine Datenbank.</translation>
    </message>
    <message>
        <source>the port must be 1 to 65535.</source>
        <translation>der Port muss 1 bis 65535 sein.</translation>
    </message>
    <message>
        <source>sslmode is one of %1.</source>
        <translation>sslmode ist eines von %1.</translation>
    </message>
    <message>
        <source>Opsdeck does not know the parameter &quot;%1&quot;.</source>
        <translation>Opsdeck kennt den Parameter „%1“ nicht.</translation>
    </message>
    <message>
        <source>A client certificate needs both files: the certificate and its private key.</source>
        <translation>Ein Client-Zertifikat braucht beide Dateien: das Zertifikat und seinen privaten Schlüssel.</translation>
    </message>
    <message>
        <source>Cannot read the %1 %2: %3</source>
        <translation>%1 %2 kann nicht gelesen werden: %3</translation>
    </message>
    <message>
        <source>The %1 %2 is larger than 64 KiB: not a PEM file.</source>
        <translation>%1 %2 ist größer als 64 KiB: keine PEM-Datei.</translation>
    </message>
    <message>
        <source>certificate</source>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <source>private key</source>
        <translation>privater Schlüssel</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate (-----BEGIN CERTIFICATE-----).</source>
        <translation>%1 enthält kein PEM-Zertifikat (-----BEGIN CERTIFICATE-----).</translation>
    </message>
    <message>
        <source>The certificate in %1 expired on %2.</source>
        <translation>Das Zertifikat in %1 ist am %2 abgelaufen.</translation>
    </message>
    <message>
        <source>The certificate in %1 is valid only from %2.</source>
        <translation>Das Zertifikat in %1 ist erst ab %2 gültig.</translation>
    </message>
    <message>
        <source>%1 holds no PEM private key (-----BEGIN PRIVATE KEY-----).</source>
        <translation>%1 enthält keinen privaten PEM-Schlüssel (-----BEGIN PRIVATE KEY-----).</translation>
    </message>
    <message>
        <source>The private key in %1 is protected by a passphrase; the keychain protects it instead: remove the passphrase (openssl pkey -in KEY -out PLAIN) and choose that.</source>
        <translation>Der private Schlüssel in %1 ist durch eine Passphrase geschützt; stattdessen schützt ihn der Schlüsselbund: Entfernen Sie die Passphrase (openssl pkey -in KEY -out PLAIN) und wählen Sie diese Datei.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Cannot open the local workspace %1: %2</source>
        <translation>Der lokale Arbeitsbereich %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Opening the local workspace</source>
        <translation>Lokaler Arbeitsbereich wird geöffnet</translation>
    </message>
    <message>
        <source>Qt&apos;s PostgreSQL driver (QPSQL) is not installed: install libqt6sql6-psql.</source>
        <translation>Der PostgreSQL-Treiber von Qt (QPSQL) ist nicht installiert: Installieren Sie libqt6sql6-psql.</translation>
    </message>
    <message>
        <source>Cannot prepare the client certificate for signing in to %1 (no private directory under %2).</source>
        <translation>Das Client-Zertifikat für die Anmeldung bei %1 kann nicht vorbereitet werden (kein privates Verzeichnis unter %2).</translation>
    </message>
    <message>
        <source>Cannot sign in to the team workspace %1: %2</source>
        <translation>Anmeldung beim Team-Arbeitsbereich %1 nicht möglich: %2</translation>
    </message>
    <message>
        <source>Reading the workspace schema version</source>
        <translation>Schema-Version des Arbeitsbereichs wird gelesen</translation>
    </message>
    <message>
        <source>Migration %1 is missing from Opsdeck.</source>
        <translation>Migration %1 fehlt in Opsdeck.</translation>
    </message>
    <message>
        <source>Workspace migration %1</source>
        <translation>Arbeitsbereichs-Migration %1</translation>
    </message>
    <message>
        <source>Recording the workspace schema version</source>
        <translation>Schema-Version des Arbeitsbereichs wird festgehalten</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a workspace login: lower-case letters, digits and &apos;_&apos;, starting with a letter or &apos;_&apos;, at most 63.</source>
        <translation>„%1“ ist kein Login des Arbeitsbereichs: Kleinbuchstaben, Ziffern und &apos;_&apos;, beginnend mit Buchstabe oder &apos;_&apos;, höchstens 63.</translation>
    </message>
    <message>
        <source>Starting the workspace set-up</source>
        <translation>Einrichtung des Arbeitsbereichs wird gestartet</translation>
    </message>
    <message>
        <source>Locking the workspace set-up</source>
        <translation>Einrichtung des Arbeitsbereichs wird gesperrt</translation>
    </message>
    <message>
        <source>The workspace holds schema %1, newer than this Opsdeck knows (%2): it was left as it is. Use a newer Opsdeck.</source>
        <translation>Der Arbeitsbereich enthält Schema %1, neuer als dieses Opsdeck kennt (%2): Er wurde unverändert gelassen. Verwenden Sie ein neueres Opsdeck.</translation>
    </message>
    <message>
        <source>Looking for %1</source>
        <translation>%1 wird gesucht</translation>
    </message>
    <message>
        <source>%1 is a person of this workspace already, with the role %2: choose another first superuser.</source>
        <translation>%1 ist bereits eine Person dieses Arbeitsbereichs, mit der Rolle %2: Wählen Sie einen anderen ersten Superuser.</translation>
    </message>
    <message>
        <source>Adding the first superuser %1</source>
        <translation>Erster Superuser %1 wird hinzugefügt</translation>
    </message>
    <message>
        <source>Looking for the login %1</source>
        <translation>Login %1 wird gesucht</translation>
    </message>
    <message>
        <source>Creating the login %1</source>
        <translation>Login %1 wird angelegt</translation>
    </message>
    <message>
        <source>Making %1 a superuser</source>
        <translation>%1 wird Superuser</translation>
    </message>
    <message>
        <source>Committing the workspace set-up</source>
        <translation>Einrichtung des Arbeitsbereichs wird abgeschlossen</translation>
    </message>
    <message>
        <source>Reading who acts in the workspace</source>
        <translation>Wird gelesen, wer im Arbeitsbereich handelt</translation>
    </message>
    <message>
        <source>Reading the person %1</source>
        <translation>Person %1 wird gelesen</translation>
    </message>
    <message>
        <source>%1 is not a person of this workspace.</source>
        <translation>%1 ist keine Person dieses Arbeitsbereichs.</translation>
    </message>
    <message>
        <source>Reading the grants</source>
        <translation>Berechtigungen werden gelesen</translation>
    </message>
    <message>
        <source>Reading the people of the workspace</source>
        <translation>Personen des Arbeitsbereichs werden gelesen</translation>
    </message>
    <message>
        <source>Reading who provisioned which runner</source>
        <translation>Wird gelesen, wer welchen Runner bereitgestellt hat</translation>
    </message>
    <message>
        <source>Reading the runner label policies</source>
        <translation>Label-Richtlinien der Runner werden gelesen</translation>
    </message>
    <message>
        <source>Recording the first-run introduction</source>
        <translation>Einführung beim ersten Start wird festgehalten</translation>
    </message>
    <message>
        <source>Saving the label policy of %1</source>
        <translation>Label-Richtlinie von %1 wird gespeichert</translation>
    </message>
    <message>
        <source>Recording runner owners</source>
        <translation>Runner-Besitzer werden festgehalten</translation>
    </message>
    <message>
        <source>Recording that %1 provisioned runner %2 on %3</source>
        <translation>Festgehalten, dass %1 Runner %2 auf %3 bereitgestellt hat</translation>
    </message>
</context>
</TS>
