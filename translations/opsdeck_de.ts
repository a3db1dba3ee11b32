<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>GitHubAppToken</name>
    <message>
        <source>Requesting an installation token for the GitHub App</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection %1 names no organization or repository.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking up the GitHub App&apos;s installation on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the GitHub App&apos;s installations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GitHub App is not installed anywhere: install it on the organization first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GitHub App has several installations (%1): choose one with &quot;Find…&quot; beside Installation ID in Connections.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source> (read-only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache database is not open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No runner has drifted: the next sync deletes nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&lt;p&gt;The next sync would act on %n drifted runner(s):&lt;/p&gt;&lt;table cellspacing=4&gt;</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep (busy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drift dry run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading label policies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading provisioning records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>container port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A host port needs the container port it leads to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The label &quot;%1&quot; is not allowed: label keys must not be empty and &quot;opsdeck.&quot; is Opsdeck&apos;s own prefix.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a restart policy: use %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The command &quot;%1&quot; has unbalanced quotes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a new repository name: use lower-case letters, digits and single hyphens (&quot;%2&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the GitHub connection that creates the repository.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a compose project name: lower-case letters, digits and hyphens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>route port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the Docker host to deploy to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tunnel route needs the container port it leads to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a file inside the repository: give its path relative to the repository, without &quot;..&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a compose service name: letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The container port %1 is not a port: use 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading who owns which runner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the people of the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the grants of the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1&apos;s runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1&apos;s deployments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1&apos;s audit events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the image allowlist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the image requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading what the registries hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the hosts&apos; images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the scans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no allowlist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allowed by entry %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>allowed, entry %1 expires in %n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>allowing entry expires in %n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>not allowed now: entry %1 expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not allowed now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the vulnerability gate blocks it: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>exception %1 expires in %n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>expires in %n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>in force</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the recent deploys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (job %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>global</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entry %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the deploys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the user&apos;s keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the user&apos;s teams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>passed on a rerun</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the runs of a test source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding the baseline run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the history of test cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading what a test case left behind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the cases of test run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fixed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>still failing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no JUnit XML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too large</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not wanted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AccessReview</name>
    <message>
        <source>There is nothing to review.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign the review off with a comment: it goes into the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why %1 of %2 is revoked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing the access review off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody revokes their own role.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoking %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the access review</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AccessReviewDialog</name>
    <message>
        <source>Access Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone&apos;s role and every grant. Each is kept unless you tick Revoke and say why: a revoked grant is deleted, a revoked admin or superuser becomes a user, and a revoked user is deactivated. Signing off applies it all at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by person, role or grant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your comment for the sign-off (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sign Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s); %1 to revoke.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Signing off…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AlertsTab</name>
    <message>
        <source>Raised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Past</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;acknowledged alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ac&amp;knowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge the selected alerts (all open ones when none is selected)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A sync raises an alert when a budget&apos;s spend passes one of its thresholds (50, 80 and 100 % unless set with Alert Thresholds… on the Budgets tab), once a budget period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache database is not open.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AllowImport</name>
    <message>
        <source>the same entry as line %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reason: write one after &apos;#&apos; on the line, or give a reason for the whole import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reason is longer than 2,000 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not in the synced registry: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Allowlist</name>
    <message>
        <source>&quot;%1&quot; is not an allowlist entry: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an image, a tag pattern, a repository or REGISTRY/NAMESPACE/*.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a namespace is written REGISTRY/NAMESPACE/* with no other &apos;*&apos; and no digest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a namespace has no tag: write REGISTRY/NAMESPACE/* alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the tag pattern &quot;%1&quot; may hold letters, digits, &apos;_&apos;, &apos;.&apos;, &apos;-&apos; and &apos;*&apos;, not starting with &apos;.&apos; or &apos;-&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a tag pattern of only &apos;*&apos; is any tag: write the repository alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;*&apos; goes in a tag pattern (nginx:1.27-*) or at the end of a namespace (registry.example.com/team/*).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a pinned digest is written without a tag (name@sha256:…): the digest alone says which image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the registry &quot;%1&quot; needs its full name, with a dot or a port (%1.example.com, %1:5000), to be told from a Docker Hub name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all of Docker Hub is not an entry: name a namespace (bitnami/*) or images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>written in full (%1/…), the name is longer than 255 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>global entry %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entry %1 of project %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in project %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is allowed by %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not allowed: %2 expired on %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not allowed: no global entry allows it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not allowed: no entry of the project or global entry allows it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AllowlistCopy</name>
    <message>
        <source>Reading the image allowlist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowlist entry %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the vulnerability gate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AllowlistModel</name>
    <message>
        <source>Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Global</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ApplyPolicyDialog</name>
    <message>
        <source>Apply Policies to the Proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>A dry run: nothing has been sent yet. %n update(s) would bring the proxy in line with the workspace&apos;s policies:</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&amp;Apply %n Update(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Each update is audited with the values before and after.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ArtifactZip</name>
    <message>
        <source>%1 inflates to more than %2 MiB; it was not read further.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be inflated: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The artifact is not a readable zip archive: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be opened in the artifact: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AttributionTab</name>
    <message>
        <source>LiteLLM proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>top </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many groups the chart shows apart; the rest are &quot;Other&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> × MAD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A day is anomalous when its spend exceeds the median of the 14 days before it by more than this many median absolute deviations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pro&amp;xy:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend &amp;by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;per:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Anomaly above:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anomalous days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend by group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>14-day median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Above by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a day to see the requests that made it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Requests of the Day…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top spenders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache database is not open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot attribute the spend: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anomaly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend by %1 per %2, %3 to %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MAD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flat median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 over %2 requests from %3 to %4; %5 attributed to a %6, %7 unattributed; %8 anomalous days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: logs %2, proxy %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests of %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the requests…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 requests of %2 on %3, costliest first: %4.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditCli</name>
    <message>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dir</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the demo workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verify: start at the newest checkpoint at or before event N.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: csv or jsonl.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: events at or after T (ISO 8601, UTC).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: events before T (ISO 8601, UTC).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: full-text search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Q</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export: write to FILE instead of standard output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verify or export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;: use verify or export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--format must be csv or jsonl.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--since: &quot;%1&quot; is not an ISO 8601 time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--until: &quot;%1&quot; is not an ISO 8601 time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 desktops, %3 events, %4 chains broken.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify or export Opsdeck&apos;s audit log.

  opsdeck audit verify [--data-dir DIR] [--from-event N]
  opsdeck audit verify --team [--url URL] [--data-dir DIR]   every desktop&apos;s chain in the team workspace
  opsdeck audit export --format csv|jsonl [--since T] [--until T] [--query Q] [--out FILE] [--data-dir DIR]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verify: the team workspace&apos;s trail, every desktop&apos;s chain in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verify --team: the workspace, if not the one the data directory joined.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditExport</name>
    <message>
        <source>Cannot write the export: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export was cancelled after %1 of %2 events.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditFilter</name>
    <message>
        <source>text &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>until %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>system %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>actor &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>action %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>outcome %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>source %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting audit events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading audit events</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditLog</name>
    <message>
        <source>Writing the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An imported audit event needs a source other than &quot;local&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the audit checkpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting the audit events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit event %1 was moved: it belongs at another place in the chain (events were reordered).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit event %1 was edited: its content no longer matches its hash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit event %1 was inserted: it is not part of the chain (event %2 follows the event before it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events before audit event %1 were deleted: the event it follows is missing (last intact event: %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The checkpoint at audit event %1 does not match the event.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit events up to %1 were deleted from the end of the log (a checkpoint names event %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The audit chain is intact: %n event(s) verified.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>An audit event in the team store is not readable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a JSON array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it has %1 fields, not the 14 of an Opsdeck event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>field %1 is not text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its time &quot;%1&quot; is not an ISO 8601 time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its outcome &quot;%1&quot; is not success, failure or partial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its details are not a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit appender was not started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An audit event needs an action.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing an audit checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditLogPane</name>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every action Opsdeck performs, every connection change and every failure is recorded here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search actions, targets, actors, comments and details (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom range…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From (UTC, inclusive)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until (UTC, exclusive)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All systems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whose desktop recorded the event: this one, or another of the team&apos;s (pulled from the team workspace)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Success</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor or person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that no event was edited, deleted, inserted or reordered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an event to see its details and chain status.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit log cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First event that breaks the chain: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All desktops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All events</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n matching event(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Imported from %1: not part of the local hash chain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded on the desktop %1 by %2 (event %3 of its chain; opsdeck audit verify --team checks that chain in the team workspace).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Intact: matches its hash and follows the event before it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✘ Its content does not match its hash: it was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✘ It does not follow the event before it: events were removed or inserted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying the audit chain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting %1 events to %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the PDF report %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Wrote the report of %n event(s) to %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Preparing the demo audit log (%1 events)…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditReport</name>
    <message>
        <source>Opsdeck audit report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated %1 UTC by %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 matching events; the first %2 are listed. Export CSV or JSON Lines for all of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 matching events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditService</name>
    <message>
        <source>Unknown export format &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n event(s) to %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::BatchWriter</name>
    <message>
        <source>%1 failed: a row has %2 values instead of %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: the cache is not an open SQLite database.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BindingLimit</name>
    <message>
        <source>it resets %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it does not reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: the %1 is blocked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: the %1 has spent %2 of its %3; %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A request of %1 would take the %2 past its %3 (%4 left); %5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No budget applies: nothing limits spend here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests pass. The %1 will stop them first: %2 left of %3; %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>team member budget of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>end customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy&apos;s budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>team member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>proxy</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BindingPanel</name>
    <message>
        <source>Limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Limits a request passes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cost of a request: which limit would refuse it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;What if a request costs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a key, a user, a team or a team member to see which limit stops its requests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which limit binds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache database is not open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which limit binds: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No budget applies to %1: nothing limits its spend.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetAlerts</name>
    <message>
        <source>&quot;%1&quot; is not a percentage from 1 to 1000: write thresholds like 50, 80, 100.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most 20 thresholds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the alert thresholds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeping the alert thresholds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the budgets for alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raising the budget alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the budget alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledging the budget alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 has spent %3, %4 % of its %5 budget (past %6 %)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetCadence</name>
    <message>
        <source>&quot;%1&quot; is not a budget duration: a number and s, m, h, d, w or mo (&quot;30d&quot;, &quot;1mo&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A budget duration of zero resets all the time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>monthly (on the 1st)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every %1 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weekly (on Mondays)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every %1 weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>daily (at midnight)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every %1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hourly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every %1 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every %1 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every %1 seconds</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetChain</name>
    <message>
        <source>Reading the budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache has no key with the alias, abbreviation or hash &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; names %2 keys; give the key&apos;s abbreviation or hash instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache has no team with the id or alias &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; names %2 teams; give the team&apos;s id instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>team %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache has no user &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache has no team &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache has no member &quot;%1&quot; in team %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in team %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache has no end customer &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetDeleteDialog</name>
    <message>
        <source>Delete %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleting user %1 on the proxy also deletes every key of theirs (%2, which spent %3 in their current periods) and their place in %4 teams. Requests with those keys fail from then on. The proxy keeps no copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleting key %1 on the proxy makes every request with it fail from then on; its spend logs stay. The proxy keeps no copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the deletion takes with it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Membership of team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetEdit</name>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no change to %1 %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no %1 for a %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be an amount from $0 to $%2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a whole number from 0 to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Soft budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The soft budget (%1) must be below the max budget (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no reset cadence for a %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TPM limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RPM limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no model list for a %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a model name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most 500 models.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing would change for %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no way to block %1 %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is blocked already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not blocked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block %1: the proxy refuses its requests until it is unblocked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unblock %1: the proxy takes its requests again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no way to delete %1 %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete user %1 and every key of theirs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete key %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetEditDialog</name>
    <message>
        <source>Change the Budget of %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests are refused once spend reaches it (none: no budget)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An alert only: below the max budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy&apos;s API has no soft budget for a %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy&apos;s budget_duration: 30s, 12h, 1d, 7d, 30d, 1mo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model names, separated by commas; empty: every model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Max budget:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Soft budget:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resets:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;TPM limit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;PM limit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>M&amp;odels:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The values before are the cache&apos;s, from the last sync. The proxy makes the change; Opsdeck records it in the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the budget never resets</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetPolicy</name>
    <message>
        <source>every model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Guardrails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image generation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A policy belongs to a LiteLLM connection: name one (at most 200 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which %1? A policy needs its id (at most 256 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1…&quot; is longer than 256 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; holds a control character.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n names: a policy holds at most 500.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&quot;*&quot; is not a guardrail: name each guardrail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;*&quot; means every model: it stands alone, not beside model names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The stored value of a policy is not JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The stored %1 policy is not a list of names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The stored %1 policy holds something that is not a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The stored %1 flag is not true or false.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a group name: letters, digits, spaces, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, at most 64, starting with a letter or digit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 is as the policy says: nothing to apply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>models %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not known (the proxy does not report them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>guardrails %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply the policy to %1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the budget policies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as the proxy has it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allowed (no policy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>models on the proxy: %1; the policy (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>guardrails last applied: %1; the policy (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>guardrails never applied from here; the policy (%1): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as the policy says</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetPolicyDialog</name>
    <message>
        <source>Set a Budget Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The organization id, group name, team id or user id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Names, separated by commas; * for every model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Names:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why (kept with the policy and in the audit log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Set Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Scope:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;For:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Item:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;omment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the %1 the policy is for.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetRecordChange</name>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which team, on which connection?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which account, on which connection?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which overflow entry? It is settled by its number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A settlement needs a reference: the invoice, credit note or ticket that settles it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reference is longer than 200 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set %1 for %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove the %1 policy of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>take team %1 out of its group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>put team %1 in group %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set the credits factor of %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove the credits factor of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>settle overflow entry %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetRecords</name>
    <message>
        <source>Reading the overflow ledger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting %1 for %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which team, on which connection?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taking team %1 out of its group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Putting team %1 in group %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which account, on which connection?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting the credits factor of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is within its budget: no overflow.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the overflow of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no overflow entry %1 in this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settling the overflow of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overflow entry %1 is settled already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the budget policies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the budget groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the credits factors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying the budget records</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetTreeModel</name>
    <message>
        <source>No budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Within budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Near budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Past soft budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Over budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the LiteLLM connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s organizations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s teams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s team members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s end customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the alert thresholds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the credits factors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>budget_duration %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 × the account&apos;s credits factor %2 = %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team member (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (own)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Soft budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TPM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RPM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache database is not open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading who is on the proxy&apos;s budget plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>account %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>end customer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s budget plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no one is on it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The spend of those on the plan together; each is held to the plan&apos;s limits on its own, and all of it returns to zero at the plan&apos;s next reset</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetsCli</name>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this data directory has no LiteLLM connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there are several LiteLLM connections: name one with --connection (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no LiteLLM connection &quot;%1&quot; (there is: %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LiteLLM budgets from this desktop&apos;s cache (kept up to date by the window; offline too).

  opsdeck budgets explain [--connection NAME] --key ALIAS|--user ID|--team ID [--member USER] [--customer ID] [--cost USD] [--json]
      the limits a request passes (key, team member budget or the user&apos;s own, team, organization, end customer), each with its spend, what remains and its next reset, and the one that refuses requests or will stop them first; exit 0 when requests (of --cost) pass, 1 when a limit refuses them, 2 for a usage error or a subject the cache does not know.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dir</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the demo&apos;s data directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The LiteLLM connection (needed when there are several).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A key: its alias, abbreviation (sk-...) or hash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ALIAS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A user, by the proxy&apos;s user id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A team, by id or alias.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --team: a member of it, by user id (the member&apos;s budget in the team).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>USER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The end customer the request is made for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What if a request costs this much (USD): which limit refuses it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>USD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the chain as a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>explain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;: use explain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>explain needs exactly one of --key, --user or --team, e.g. opsdeck budgets explain --key ci-bot --cost 0.50.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--member goes with --team: the member&apos;s budget in that team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the subject is empty or longer than 512 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--cost &quot;%1&quot; is not an amount in USD (a number from 0, e.g. 0.25).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2 (synced %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>spent %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resets %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetsPane</name>
    <message>
        <source>Budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LLM budgets and spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This pane shows the budgets of teams, users and keys on your LiteLLM proxy, their inheritance, and the spend against them over time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Renewals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;lerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Policies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Credits &amp;&amp; Overflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;lerts (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing… %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the budgets: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget alert: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 budget alerts; the first: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name, kind, model, state or any figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needing attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Over budget or blocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Near or past the soft budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without a budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;hange…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the max or soft budget, the cadence, the limits or the models on the proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bloc&amp;k…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert &amp;Thresholds…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The percentages of the selected budget that raise an alert (a proxy: every budget)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unbloc&amp;k…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This window only reads the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy&apos;s API offers no change to a %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending to the proxy: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send this change to the proxy?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert Thresholds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Percentages of every budget on %1 that raise an alert (budgets with their own keep them):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Percentages of the budget of %1 %2 that raise an alert (empty: the proxy&apos;s):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

This cannot be undone. Delete now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a key, a user, a team or a team member to see which limit stops its requests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 has no chain of limits of its own: select a key, a user, a team or a team member below it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Syncing %n LiteLLM prox(y/ies)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No LiteLLM connection: add one to see its budgets.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::CaseDetailPanel</name>
    <message>
        <source>Duration over the last runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No case selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Select a case to see its history, why it failed and what it printed.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Over the last %n run(s) of its source: %1 passed, %2 failed or errored, %3 skipped, %4 without it.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Flaky:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last failure message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message in this run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading what it left behind…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What it left behind cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard output:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard error:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::CloudflareApi</name>
    <message>
        <source>Cloudflare&apos;s answer is not the API&apos;s envelope (no &quot;success&quot; field).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cloudflare refused the request and gave no reason.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cloudflare refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cloudflare&apos;s answer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::CommandLine</name>
    <message>
        <source>Show this help and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the version and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the cache, settings and logs in &lt;dir&gt; instead of the default.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dir</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the demo workspace: realistic sample data, no server needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render every pane offscreen, write one PNG per pane into &lt;dir&gt;, and exit. Needs no display.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run opsdeck --help for the options.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown argument &quot;%1&quot;. Run opsdeck --help for the options.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--screenshot needs a directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck needs a display, and none was found (neither DISPLAY nor WAYLAND_DISPLAY is set).
Ways forward:
  - run it in a virtual X server:       xvfb-run -a opsdeck --demo
  - render every pane to PNG files:     opsdeck --demo --screenshot ./shots
  - from the source tree:               scripts/run.sh --xvfb   or   scripts/run.sh --screenshot ./shots
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the main window, print &quot;first paint&quot; when it is first painted, and exit (for the start-up benchmark).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck: one native console for GitHub Actions runners, Docker deployments, Harbor images, LiteLLM budgets and contract-test runs.

Commands (without a window; the options above may come before or after them):
  audit verify|export   check or export the audit log (opsdeck audit --help)
  team init|status|person|grant   the team workspace on PostgreSQL (opsdeck team --help)
  images check          images against the workspace&apos;s allowlist (opsdeck images --help)
  budgets explain       which LiteLLM limit binds for a key, user or team (opsdeck budgets --help)
  testruns import       JUnit XML reports into the Test runs pane (opsdeck testruns --help)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Compose</name>
    <message>
        <source>No compose tool was found (tried %1): install the Docker compose plugin, docker-compose or podman-compose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No directory for the engine&apos;s TLS files was given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create %1 for the engine&apos;s TLS files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The TLS file %1 of %2 cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot link %1 as %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no compose file (compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml): choose the file to use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The compose file %1 is not in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is larger than 4 MB: not a compose file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 leads outside the project %2: Opsdeck does not read it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) is older than %3 needs: Compose v1 refuses %4. Nothing was started. Install the Docker compose plugin (docker compose, v2), which Opsdeck uses first when it is there.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ComposeProject</name>
    <message>
        <source>it nests or repeats (through aliases) more than Opsdeck reads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a mapping key is not a plain value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;&lt;&lt;&quot; merges only mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not valid YAML (line %2, column %3): %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be read: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; nests ${…} too deeply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot;: a &quot;${&quot; is not closed by &quot;}&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;${%1}&quot; is not a variable: a name is letters, digits and &apos;_&apos;, not starting with a digit, optionally followed by :-, -, :?, ?, :+ or +.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The variable %1 is required%2%3: set it in the environment or in the project&apos;s .env file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> and may not be empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.%2 must be a single value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lists KEY=VALUE strings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a mapping or a list of KEY=VALUE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a port (1 to 65535) or a range of ports (8000-8010).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; has an unclosed IPv6 address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be [IP]:HOST:CONTAINER.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not [[IP:]HOST:]CONTAINER[/PROTOCOL].</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot;: the protocol is tcp, udp or sctp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: name or app_protocol in a port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line %2: &quot;%3&quot; is not a variable name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line %2: a single quote is not closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line %2: a double quote is not closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a mapping with a &quot;services&quot; key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The variable %1 is not set: an empty value is used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the top-level name: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the top-level %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no services: it needs a &quot;services:&quot; mapping of at least one service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 must be a mapping.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.ports must be a list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.ports lists strings or mappings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.env_file with path:/required:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.env_file names no file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.env_file: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.profiles must be a list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.depends_on with required:/restart:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port %1 usually serves HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port %1 usually does not serve HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a database or other non-HTTP image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>labelled opsdeck.route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 publishes container port %2 without a fixed host port, so the engine picks a new one at every recreate and a route would soon point nowhere. Publish it on a fixed host port in %3, for example ports: [&quot;127.0.0.1:8080:%2&quot;], and deploy again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 publishes container port %2 on the host port range %3, which the engine picks from at every recreate. Publish it on one fixed host port in %4, for example ports: [&quot;127.0.0.1:%5:%2&quot;], and deploy again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No service of %1 publishes or exposes a TCP port to route to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No service of %1 looks like it serves HTTP (%2): choose the service and port to route to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has more than one port that could serve HTTP (%2:%3 and %4:%5): choose the service and port to route to, or label one service opsdeck.route.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no service %2 to route to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service %1 runs only with the profile %2, which is not enabled: it would not be started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service %1 does not publish or expose container port %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service %1 publishes no TCP port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service %1 has several ports: choose the one to route to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (host port picked by the engine)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Connection</name>
    <message>
        <source>GitHub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Docker host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCI registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harbor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LiteLLM proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cloudflare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name and password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub App (private key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker host is empty. Use unix:///var/run/docker.sock or tcp://host:2376.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker socket path &quot;%1&quot; must be absolute, as in unix:///var/run/docker.sock.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid tcp:// Docker host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tcp:// Docker host has no path: &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsupported Docker host &quot;%1&quot;: use unix:///path/to/docker.sock or tcp://host:port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the connection a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name is longer than 80 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 connections do not support &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sync interval must be between 30 seconds and 24 hours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A TLS client certificate needs both the certificate file and the key file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client certificates apply to tcp:// Docker hosts only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the file &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid URL. Use the form https://host[:port][/path].</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The URL must start with https:// (or http:// for a server on this machine).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not put credentials in the URL; use the authentication fields.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the CA file &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the user name for basic authentication.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GitHub App ID must be a number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the Cloudflare account ID that owns the tunnel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the GitHub organization, or the repositories (owner/name), whose runners Opsdeck manages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an OAuth client ID: letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, as GitHub shows it in the app&apos;s settings.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ConnectionService</name>
    <message>
        <source>This is the demo workspace: Opsdeck does not contact any server here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secret is kept in memory for this session only; enter it again after a restart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection was removed, but its keychain entry could not be deleted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a GitHub App connection has installations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the GitHub App&apos;s installations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GitHub App is not installed anywhere yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ConnectionStore</name>
    <message>
        <source>Reading connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading a connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A connection named &quot;%1&quot; exists already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the sync state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the sync state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>less than a minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1: syncing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last successful sync %1 ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: offline, data from %2 ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: offline, no data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not synced yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press F5 to sync, or test the connection in the Connections dialog.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ConnectionsDialog</name>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load private key file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>owner/repo, owner/other-repo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repositories whose own runners Opsdeck manages, besides the organization&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: an OAuth app with the device flow enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lets each person link their GitHub login to the workspace (Users pane › Link GitHub…). A client ID is not a secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>found automatically</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for a remotely managed tunnel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the zone of the route hostnames (DNS records)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/etc/cloudflared/config.yml (a locally managed tunnel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional, e.g. systemctl restart cloudflared (no shell)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Organization:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;positories:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OAuth &amp;client ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account &amp;ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tunnel I&amp;D:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Zone ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tunnel &amp;config file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cloudflared configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YAML files (*.yml *.yaml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart co&amp;mmand:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Au&amp;thentication:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List the GitHub App&apos;s installations and choose one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I&amp;nstallation ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Secret:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client c&amp;ertificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM files (*.pem *.key);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;ync every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sa&amp;ve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new %1 connection. Fill in the fields, test it, then save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the App ID first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the App&apos;s private key first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the GitHub App&apos;s installations…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub App installation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The App is installed on several accounts. Choose the one whose runners this connection manages:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No installation chosen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installation %1 chosen: save to keep it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>App &amp;ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (stored in the keychain; leave empty to keep)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private key (PEM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Docker host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the secret for this connection; it is kept in the OS keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

Opsdeck never writes secrets to a file. Keep this secret in memory for this session only? You will have to enter it again after Opsdeck restarts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the secret to test this connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Testing %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✘ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the connection &quot;%1&quot;? Its cached data and its secret in the keychain are deleted too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not removed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub App private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM files (*.pem);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the private key %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a PEM private key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private key loaded; it is stored in the keychain when you save.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ConnectionsModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL or socket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Container</name>
    <message>
        <source>The Docker engine sent a container without a valid &quot;%1&quot; (%2 expected).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine&apos;s container list is not valid JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine&apos;s container list is not a JSON array.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the Docker host&apos;s facts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine&apos;s disk usage answer is not a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the container creation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine&apos;s answer has no valid container id (&quot;%1&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the container inspection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine&apos;s container details have no valid Config.Tty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine&apos;s answer to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine answered the disk usage in the shape of API 1.48 or newer, although Opsdeck asked for an older version; the sizes are not shown rather than shown wrong. Is a proxy in front of the engine rewriting the request path?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ContainerDialogs</name>
    <message>
        <source>Remove container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the container %1? It is %2: it will be killed first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the container %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also delete its anonymous volumes (it has none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also &amp;delete its anonymous volumes: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Named volumes are kept either way: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ContainersModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::CreditsDialog</name>
    <message>
        <source>Credits Factor of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;No factor: show spend only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why (the plan, the contract)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Factor:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;omment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend × factor = credits charged to the account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This period&apos;s spend %1, without credits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This period&apos;s spend %1 = %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::CreditsTab</name>
    <message>
        <source>Credits per account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits &amp;Factor…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the selected account&apos;s credits factor: spend × factor = credits charged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend × the account&apos;s factor = the credits it is charged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overflow ledger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Se&amp;ttle…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark what is open of the selected entry settled, with a reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No account has gone past its budget in a period yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Open: %1 in %n entr(y/ies); settled: %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No workspace is open: credits and the ledger cannot change here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::CveExceptionsModel</name>
    <message>
        <source>CVE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Covers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Granted by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every image of the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every project</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Database</name>
    <message>
        <source>The cache database is damaged (%1 failed: %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache database is locked by another program (%1 failed: %2). Is another Opsdeck running on the same data directory?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache database cannot be written (%1 failed: %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The disk is full (%1 failed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache database cannot be opened (%1 failed: %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the schema version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the data directory %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache database %1 is read-only for this user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data directory %1 is not writable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no cache database at %1 to open read-only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache database %1 has schema version %2, but this Opsdeck knows only up to version %3. It was written by a newer Opsdeck; it has not been changed. Use the newer version, or start with another data directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache database %1 needs an upgrade (schema %2 to %3), which a read-only open cannot do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switching to WAL mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the schema upgrade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migration %1 is missing from the application.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migration %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the schema version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Committing the schema upgrade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot move %1 aside to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache database is not open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting a cache transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No cache transaction is active.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Committing to the cache</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::DatabaseProblem</name>
    <message>
        <source>Opsdeck cannot open its cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Move it aside and start fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::DemoWorkspace</name>
    <message>
        <source>Reading the demo workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo data is missing from this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo data is invalid: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo workspace has no connections to write audit events for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the demo audit log was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the demo label policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the demo team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the demo grants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>farid is deactivated and can no longer sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fhaddad is out of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing fhaddad from the organization %1: cannot reach the server (connection refused).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left Acme at the end of November.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the demo offboarding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the demo images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the demo budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the demo policies</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::DeployDialog</name>
    <message>
        <source>Deploy with compose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From a GitHub &amp;template repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From a &amp;local directory with a compose file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tunnel route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>owner/template-repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My new service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Private repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>app.example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any file of the repository or directory, relative to it (passed to compose with -f). Empty: the first of the standard names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service and container port the route points to (service:port). The port must be published on a fixed host port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proposed: the service and port that serve HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Deploy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;GitHub connection:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Te&amp;mplate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Owner:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;repository:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;irectory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compose &amp;file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Docker &amp;host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;unnel:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host&amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Route &amp;to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Directory with a compose file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Route to &quot;%1&quot;: write service:port, e.g. web:8080, or leave the proposal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 publishes container port %2 without a fixed host port: publish it as &quot;127.0.0.1:HOSTPORT:%2&quot; in %3, then choose it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a name for the new repository.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The repository will be %1/%2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The repository will be %1/%2 (lower case and hyphens).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the compose project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No proposal: choose below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proposed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: container port %2, host %3%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: container port %2, no fixed host port (cannot be routed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %n route candidate(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Needs Compose v2 for: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::DeployService</name>
    <message>
        <source>%1 is not a directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled before compose ran.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> The clone stays in %1; the repository stays on GitHub.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Nothing was started.%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the compose project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace keeps no image allowlist: the images are not checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> To choose, deploy the clone again from Deploy with compose › From a local directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The route will point to %1, container port %2, host port %3%4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) refused %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer within 60 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Using %1 (%2) with DOCKER_HOST=%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taking down what compose had started for project %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Took down what compose had started for project %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taking project %1 down again failed (%2): check its containers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer within 120 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exit code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled during compose up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compose up failed (exit code %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no tunnel chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1 is up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the containers of project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1 is up but publishes no port to route: set the route&apos;s port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the quick service %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a Docker host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick service %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pull the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot record the job in the cache: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused before anything ran: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the containers of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled before anything was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a container named %1 exists on %2 already: choose another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host port %1 is published by the container %2 already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host port %1 is in use on this machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no free host port was found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host port %1 chosen (free%2, not published by any container).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> on this machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 as %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, port %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pulling %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pulling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled while pulling: nothing was created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pulling %1 failed: %2 (nothing was created).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pulled %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created container %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled after the container was created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating %1 failed: %2 (the image was pulled).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled while starting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 runs but publishes no port to route.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 runs, published on port %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing the container this job created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed the container %1 that this job had created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not remove the container %1 that this job created: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The container %1 it created is still there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the repository from the template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait for the repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compose up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Route through the tunnel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy %1/%2 from %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace directory %1 cannot be created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists in the workspace already: choose another repository name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GitHub connection of this deploy is gone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template deploys need a GitHub connection with a token or a GitHub App (%1 has neither).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking that %1/%2 does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The repository %1/%2 exists already: choose another name, e.g. %2-2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub answered %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/%2 into %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating %1/%2 from %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled while the repository was being created: check whether %1/%2 exists on GitHub.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating the repository failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub answered the repository creation with something Opsdeck cannot use: %1 Check whether %2/%3 exists on GitHub.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/%2 was created on GitHub but was not ready within a minute (%3): it is left there. Deploy it again once it shows its files on GitHub.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not ready yet (%1); asking again in %2 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for %1/%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled while waiting: the repository %1/%2 was created on GitHub and is left there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no default branch yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its branch %1 has no commit yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is at %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cloning %1 into %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled while cloning: the partial clone was removed; the repository %1/%2 stays on GitHub.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 The repository %2/%3 was created on GitHub and is left there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 The repository was cloned to %2; nothing was started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel requested by %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job %1 left no clone to deploy again: deploy the template anew with another repository name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environment values of job %1 are not kept across restarts (they may be secrets): open Quick service and enter them again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tunnel connection is gone; %1 is up without a route.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is up, but the route failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is up and routed: https://%2 → port %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has a route already: pointing it at port %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image policy refuses %1:
%2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::DeploymentsPane</name>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reclaimable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove stopped &amp;containers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images, volumes and build cache are not pruned from here: the Engine API operations Opsdeck uses do not include deleting them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing stopped containers: %1 of %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Removed %n stopped container(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Removed %1, %2 failed: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove stopped containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Remove every stopped container on %1 (%n listed now)? Each removal is audited; their volumes are kept.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No Docker host yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): not refreshed yet. Press F5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): %3
Engine %4 (API %5), %6/%7. Opsdeck speaks API %8 with it. Checked %9.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not negotiated yet: press F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk usage not read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a job to see its log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;deploy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a running job to cancel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job %1 is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling job %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a job to deploy again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deployments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Containers and deployments on your Docker hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This pane runs and manages services on a Docker host: one-click services from an image, deploys of GitHub template repositories with compose, live logs, and routes through a Cloudflare tunnel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name, image, port, project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All states</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whether the engines&apos; event streams are connected: the list updates by itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rest&amp;art</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected containers (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quick service…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run a container from an image in one step (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Deploy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy a GitHub template repository or a local directory with compose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start, stop or remove the selected container&apos;s project as a unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs of the selected containers, merged by time (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stop after </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long the engine waits for a container to stop before it kills it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one or more containers and press Logs (Ctrl+L): several are merged by time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tunnel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The log stream ended (the containers stopped).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The log stream ended: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped following.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engines&apos; event streams are connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a container of the project first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 belongs to no project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove every container of project %1 (running ones are killed)? Volumes and networks stay. Each removal is audited.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working on project %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the containers first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Working on %n container(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Select the containers to remove first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one or more containers to see their logs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs can be merged for containers of one Docker host at a time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Following %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tunnel connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hostname</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;route…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;hange port…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove r&amp;oute…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a Cloudflare connection with the tunnel&apos;s configuration file (locally managed) or its tunnel ID (remotely managed) to route services through it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the tunnel configuration…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remotely managed tunnel %1 (Cloudflare API).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locally managed tunnel %1, configuration %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ The configuration is valid by cloudflared&apos;s rules.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✘ The configuration is not valid: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✘ cloudflared is not installed here: DNS routes must be created by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ cloudflared at %1, %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(everything else)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the route first (the catch-all rule stays).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::DeviceFlow</name>
    <message>
        <source>GitHub&apos;s answer to the device flow is not what its documentation describes: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GitHub app does not allow the device flow: enable it in the app&apos;s settings on GitHub.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub does not know this client ID: check the OAuth app&apos;s client ID on the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub answered %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub answered %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no device_code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the user_code is not eight characters with a hyphen in the middle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the verification_uri is not a web address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expires_in is not a number of seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interval is not a number of seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no access_token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The code expired before it was entered: start again for a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request was denied on GitHub: nothing was linked.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::DockerClient</name>
    <message>
        <source>Cannot read the %1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CA file %1 holds no PEM certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>client certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a PEM certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>client key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not an unencrypted PEM RSA or EC key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the Docker engine which API versions it speaks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine at %1:%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the Docker engine did not answer within %2 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reach the Docker engine at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The TLS certificate of the Docker engine at %1 was refused: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The answer from the Docker engine is larger than %1 MB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the Docker engine&apos;s address answered %2, a redirect to %3; Opsdeck does not follow redirects from an engine: check the endpoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the Docker engine answered %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::DockerLogDecoder</name>
    <message>
        <source>The log stream could not be decoded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The log stream has an invalid frame header (stream %1); the rest is not shown.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::DockerService</name>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is not an image ID.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing the image %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown prune kind %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pruning the %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not offer build-cache pruning (it answered 404 to POST /build/prune; podman keeps no build cache there).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the stopped containers of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the containers of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the disk usage of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the images of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n container(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Live updates lost (%1); reconnecting in %2 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Following the events of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the engine closed the stream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pinging %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restarting %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was already running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was already stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the containers of project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No container belongs to project %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of project %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the demo workspace: there are no live logs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a container first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspecting container %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the logs of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Following the logs of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::EngineApi</name>
    <message>
        <source>%1&apos;s answer to GET /version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck speaks Docker Engine API %1 to %2 (Docker Engine 1.12 to 27, or any newer engine that still accepts API %2; podman 3 and later).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 gave &quot;%2&quot; as its API version, which is not a version number. %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 gave &quot;%2&quot; as its oldest API version, which is not a version number. %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (engine %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 speaks Docker Engine API up to %2, older than Opsdeck reads. %3 Upgrade the engine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 no longer accepts API %2: it speaks %3 to %4, and its answers in those versions have shapes Opsdeck does not read. %5 Use an engine that still accepts API %2, or a newer Opsdeck.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ExceptionDialog</name>
    <message>
        <source>Grant a CVE Exception</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CVE-2024-6119</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>registry.example.com/team/app:1.4-* (empty: every image of the project)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the finding may run for now (not exploitable here, fix pending…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;CVE:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Image:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Project:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xpires on:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Grant</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ExposureModel</name>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowlist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exposure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not exposed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::FlakyCasesModel</name>
    <message>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reruns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flip rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the runs of a test source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading test case names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rerun and history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>passed on a rerun</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flips between runs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::FlakyRulesDialog</name>
    <message>
        <source>Flaky Rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A case that &amp;failed and then passed on a rerun is flaky</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many of the source&apos;s latest runs a case&apos;s history covers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A case that flips between passing and failing in more than this share of its runs is flaky.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With fewer runs than this in the window, the history gives no verdict.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History &amp;window:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flip rate &amp;above:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Judge &amp;after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With these rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preview cannot be made: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flaky</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not flaky</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>newly flaky</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no longer flaky</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>In %1: these rules would mark %n case(s) flaky</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%n newly</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n no longer).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Select a run first to preview the rules on its source.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Judging the cases of %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GateSettingDialog</name>
    <message>
        <source>Vulnerability Gate of the Workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vulnerability Gate of Project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing: no severity blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block images that were &amp;never scanned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the gate changes: kept with it and in the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Block findings at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Comment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it would be blocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What this would block cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing that runs now, was deployed in the last 30 days or is on the allowlist would be newly blocked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;This would newly block %1&lt;/b&gt; (running containers are not stopped; their next deploy is refused):</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Not stricter than the setting in force: nothing is newly blocked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for what this would block…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a threshold or the never-scanned rule that differs from the one in force.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why the gate changes: the comment is kept with it and in the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save and Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GateSettingsModel</name>
    <message>
        <source>Scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never scanned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In force</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace (every project)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>let through</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GateTab</name>
    <message>
        <source>C&amp;hange Gate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show e&amp;xpired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Grant Exception…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;voke Exception…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploys and &lt;b&gt;opsdeck images check&lt;/b&gt; refuse images whose scan shows a finding at the threshold or above, unless exceptions cover every such finding. A project&apos;s setting can only make its gate stricter than the workspace&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;CVE exceptions&lt;/b&gt;: a finding let through for an image or a project until the exception expires.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No workspace is open: the gate cannot change here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke the Exception for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it ends now (kept in the audit log); images with %1 are blocked again where the gate applies:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GitClone</name>
    <message>
        <source>Receiving objects: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking out files: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists and is not empty: nothing was cloned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cloning %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking %1 for its branches: cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a repository address git can use: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking %1 for its branches failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubAnswers</name>
    <message>
        <source>GitHub&apos;s answer lacks a valid &quot;%1&quot; (%2 expected).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub sent a label without a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub&apos;s answer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubApp</name>
    <message>
        <source>The GitHub App ID is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The private key is not a PEM private key (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The private key must be an RSA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing the token failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GitHub App private key: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubLinkDialog</name>
    <message>
        <source>Link Your GitHub Login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub shows who you are to this Opsdeck through its device flow: you enter a code at GitHub, and your GitHub login is linked to %1 in the workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Through:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter it at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Get a Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No GitHub connection has an OAuth client ID: add one (an OAuth app with the device flow enabled) in File › Connections….</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Waiting for you to enter the code at GitHub (it is valid for %n minute(s))…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>GitHub says you are %1; recording it in the workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linked: the workspace knows your GitHub login now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking GitHub for a code…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubRepository</name>
    <message>
        <source>GitHub sent a repository without a valid &quot;%1&quot; (string expected).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub gave the clone address &quot;%1&quot;, which is not an %2 URL: not cloned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub gave the clone address &quot;%1&quot; on %2, which is not the GitHub of this connection (%3): not cloned, so the token is not sent there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub gave a clone address with credentials in it: not cloned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub&apos;s repository answer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubRunStore</name>
    <message>
        <source>Recording artifact %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the GitHub test sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading test source %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no GitHub test source %1 (removed meanwhile?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the GitHub connection the repository is read with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving test source %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording workflow run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workflow runs to look at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the artifacts seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The artifact holds %n file(s), none of them XML.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubService</name>
    <message>
        <source>%1 has no OAuth client ID: add the client ID of an OAuth app with the device flow enabled to the connection first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking GitHub for a device code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The code expired before it was entered: start again for a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking GitHub whether the code was entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking GitHub who signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub&apos;s answer to GET /user names no login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in to GitHub as %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: nothing was linked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; or &quot;%2&quot; is not a GitHub organization or login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing %1 from the organization %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was not a member of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runner %1 has no known organization or repository (&quot;%2&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing runner %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing runners needs a comment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yours: runner %1 was provisioned by %2. %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused by the workspace&apos;s permissions: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an organization or repository of the connection %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused by the label policy: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating the just-in-time runner %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requesting a registration token for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runner %1 is not in the cache (removed?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck did not provision %1: there are no labels to go back to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updating the runner&apos;s labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provisioned labels no longer meet the label policy: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting the labels of runner %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the runners of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 runners (%2 new, %3 removed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not remove drifted runners: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drifted but busy: kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drifted from the label policy: deleted by sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a GitHub connection for the repository.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 reads %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no GitHub connection any more; choose one in its settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the workflow runs of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n test run(s) imported from %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Listing the artifacts of workflow run %1 #%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name does not match the pattern %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub no longer keeps this artifact.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The artifact is %1 MiB; Opsdeck reads artifacts of up to %2 MiB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1 of %2 #%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking GitHub for artifact %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub answered 410 Gone: the artifact expired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub answered the download of %1 with %2 and no usable Location (a redirect to the artifact&apos;s storage was expected).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No folder for downloads: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading artifact %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubSourceForm</name>
    <message>
        <source>GitHub Test Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>api (GitHub)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>owner/name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which artifacts hold the test results, as a wildcard: junit-*, test-results, *.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> workflow runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Repository:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Artifacts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;First sync reads:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The completed workflow runs of the repository are read, and the JUnit XML files in their artifacts imported as test runs: one run per artifact, each artifact once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a GitHub connection first: its token reads the workflow runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the source; the Test runs pane lists its runs under that name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubSourcesDialog</name>
    <message>
        <source>Test Runs from GitHub Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sync Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workflow runs of the selected source, and what became of their artifacts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No repository yet: Add… names one of a GitHub connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the source %1 with all its test runs and their history from this desktop?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub keeps the artifacts; adding the source again reads those it still keeps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubSourcesModel</name>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Artifacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workflow runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last artifact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the GitHub test sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(removed)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GoldenCase</name>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the pattern at %1 is not a regular expression (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at %2 is no matcher ($any, $any-string, $any-number, $regex:…); write $%1 for the literal text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be an object of names and texts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a header name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the value of %2 must be text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the value of %2 holds a line break or is too long</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not JSON (%1 at byte %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a case is a JSON object with &quot;request&quot; and &quot;expect&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a case needs a &quot;request&quot; and an &quot;expect&quot; object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the method &quot;%1&quot; is not one of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path &quot;%1&quot; must start with / and hold no spaces, control characters or #</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the request&apos;s headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the expected status must be a whole number from 100 to 599</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the expected headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the expected body: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;ignore&quot; must be a list of JSON Pointers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; in &quot;ignore&quot; is not a JSON Pointer (it starts with /)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an empty body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a body that is not JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: expected %2, got %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GoldenRunner</name>
    <message>
        <source>The suite&apos;s folder %1 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The suite&apos;s folder %1 holds no case file (*.json).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is larger than %2 MiB; a case file is a request and its answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Golden case %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GoldenSourcesModel</name>
    <message>
        <source>Suite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the golden suites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GoldenSuite</name>
    <message>
        <source>The base URL must be an http or https address with a host, such as http://127.0.0.1:8080 (got &quot;%1&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The base URL takes no query, fragment or credentials; cases add their own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The repository must be an https, http, git or file URL (got &quot;%1&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The repository URL must not carry credentials; Opsdeck keeps no secret in a suite&apos;s settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder within the repository must be relative and stay inside it (got &quot;%1&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the folder of the suite&apos;s case files (an absolute path).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run 1 to 32 cases at once (got %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A case may take 0.1 to 600 seconds (got %1 ms).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No response: %1
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: expected %2, got %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GoldenSuiteForm</name>
    <message>
        <source>Golden Suite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/srv/qa/golden, or a folder within the repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: the folder is on this desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the repository&apos;s default branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Git &amp;repository:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B&amp;ranch:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;At once:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Timeout per case:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each *.json file in the folder is a case: a request and the response it must get (see the README&apos;s golden case format).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder of the Suite&apos;s Cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the suite; the Test runs pane lists its runs under that name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mock server this suite runs against: a run says so when the mock was down at its last health check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mock:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GoldenSuitesDialog</name>
    <message>
        <source>Golden Suites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R&amp;un Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No suite yet: Add… names a folder of case files and the URL to run them against.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 cases answered…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the suite %1 with all its runs from this desktop?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The case files stay where they are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the suite&apos;s cases…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GrantChange</name>
    <message>
        <source>Which grant? A grant is revoked by its number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why grant %1 is revoked: the comment goes into the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a role: user, admin or superuser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a workspace login: lower-case letters, digits and &apos;_&apos;, starting with a letter or &apos;_&apos;, at most 63.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A grant is given to a role or to a person, not to &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an action a grant can name: system.verb (runner.provision), system.* (container.*) or *, where the system is one of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scope is longer than 500 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; in the scope is not a facet: key:value, such as connection:gh-prod, mode:jit or project:shop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a facet a scope can name: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scope names %1 twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mode:%1 is not a provisioning mode: jit or registration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>role:%1 is not a role: user, admin or superuser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is deactivated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 may not manage people, so may not change grants (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>role user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: only a superuser grants or revokes %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: only a superuser changes the grants of superusers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: only a superuser changes what every admin may do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 does not hold %3 on %4, and nobody grants what they do not hold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>role %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow %1 %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny %1 %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GrantChanges</name>
    <message>
        <source>There is no grant %1 in this workspace (revoked already?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is not a person of this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the same grant is there already.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GrantDialog</name>
    <message>
        <source>Grant a Permission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone with the role %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An action of the audit taxonomy (runner.provision), every action of a system (container.*), or * for everything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>* (everywhere), or facets such as connection:gh-prod mode:jit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the action may be done on, as key:value facets separated by spaces; &apos;*&apos; in a value matches anything. Facets: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny (wins over any allow)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: why, for the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;For:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Action:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Scope:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Effect:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Comment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Grant</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GrantsModel</name>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Granted by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deny</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::GroupDialog</name>
    <message>
        <source>Team Group on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: in no group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Set Group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A group&apos;s policies apply to its teams unless the team or the user sets the item themselves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which team?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::HostImage</name>
    <message>
        <source>The Docker engine&apos;s answer does not have the documented shape: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine&apos;s image list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an image has no &quot;Id&quot; of the form sha256:…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the image %1 has no valid &quot;Size&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the host&apos;s images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine&apos;s answer to the prune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine&apos;s answer to the removal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dangling images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unused images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unused volumes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>build cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the host&apos;s images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the host&apos;s containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the host&apos;s disk usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n volume(s) no container mounts</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n build cache record(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::HostImagesModel</name>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dangling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unused</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::HostPruneDialog</name>
    <message>
        <source>Prune a Docker Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Prune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What goes (from the last refresh; the engine decides at the moment itself):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to remove, as of the last refresh.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose what to remove.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frees about %1 (volumes and build cache as the engine last counted them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frees about %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::HttpClient</name>
    <message>
        <source>it expired on %1. The server&apos;s certificate must be renewed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is valid only from %1 (is this computer&apos;s clock right?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it was issued for %1, not for this address. Use one of those names in the connection&apos;s endpoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is not signed by a certificate authority this computer trusts (%1). If the server uses a private CA, set its CA file on the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The answer from %1 is not valid JSON (%2 at byte %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the CA file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CA file %1 holds no PEM certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the API rate limit of %2 is used up until %3 UTC; Opsdeck sends no more requests until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the answer from %2 is larger than the limit of %3 MB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 did not answer within %3 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 redirected too often or to another site (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the TLS certificate of %2 was refused: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 answered %3 %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (check the connection&apos;s credentials)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the connection to %2 broke off during the answer (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot reach %2: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 answered with %3 instead of JSON (a proxy or sign-in page in between?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The next page points to another server (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the answer from %2 cannot be saved to %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::HttpResponseParser</name>
    <message>
        <source>The Docker engine sent a line longer than %1 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine sent an invalid Content-Length &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine did not answer with HTTP (got &quot;%1&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine sent an invalid status line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine sent more than %1 bytes of headers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine sent a malformed header line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine sent an invalid chunk size &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A chunk from the Docker engine did not end with CRLF.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine closed the connection before the answer was complete.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ImageChange</name>
    <message>
        <source>%1: nothing is chosen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why the image is needed: the reason is kept with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a comment: it is kept with the decision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reason is longer than 2,000 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The expiry (%1) is not in the future.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a threshold: Unknown, Negligible, Low, Medium, High or Critical.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why the gate changes: the comment is kept with it and in the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>global</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allow %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoke entry %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>request %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approve request %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deny request %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set the vulnerability gate (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grant an exception for %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoke exception %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ImageChangeDialog</name>
    <message>
        <source>Allow an Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request an Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve the Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deny the Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>registry.example.com/team/app:1.4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nginx:1.27, nginx:1.27-*, registry.example.com/team/*, app@sha256:…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Image:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Entry:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Global (every project)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Scope:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept with the decision and shown to whoever asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it is needed: kept with the entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Comment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xpires on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Allow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Send Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;pprove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Deny</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ImagePolicy</name>
    <message>
        <source>The workspace keeps no image allowlist: not checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace keeps no image allowlist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: built locally, not checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: allowed. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: refused. %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ImageRecords</name>
    <message>
        <source>Say why %1: the reason is kept with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reason is longer than 2,000 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a project name: lower-case letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, at most 63.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no project %1 in this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A project needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a project role: manager or member.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taking %1 out of project %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making %1 a %2 of project %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowing %1 in project %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: it is on the allowlist already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing allowlist entry %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: there is no such entry (removed already?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you ask for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approving image request %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Denying image request %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: answer the requester; the answer is kept with the request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: there is no such request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: it was %2 already by %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the image allowlist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the image requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying the image records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finishing the import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting the workspace&apos;s vulnerability gate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting the vulnerability gate of project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Granting an exception for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoking vulnerability exception %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: there is no such exception (revoked already?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the vulnerability gate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the vulnerability exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) cannot be imported; nothing was changed. Correct them and import again.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::ImageReference</name>
    <message>
        <source>&quot;%1&quot; is not an image reference: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an image reference, for example nginx:1.27.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is longer than 512 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the tag &quot;%1&quot; must be 1 to 128 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;, not starting with &apos;.&apos; or &apos;-&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the registry &quot;%1&quot; is not a host name with an optional port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the repository name is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>repository names are lower case (&quot;%1&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the repository &quot;%1&quot; must be lower-case letters and digits, separated by &apos;/&apos;, &apos;.&apos;, &apos;_&apos;, &apos;__&apos; or &apos;-&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>registry and repository together are longer than 255 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>64 hexadecimal digits are an image ID, not a repository name; pull by name, or write a digest as name@sha256:…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the digest &quot;%1&quot; must be sha256: and 64, sha384: and 96, or sha512: and 128 lower-case hexadecimal digits.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ImageRequestsModel</name>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Global</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ImagesCli</name>
    <message>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dir</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the demo&apos;s data directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The project the images run in: its entries apply besides the global ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the results as a JSON array.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check, then the images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not recorded in the audit log: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the local copy of the allowlist was not refreshed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed %1%2 (entry %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> in project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is larger than 4 MiB: not a list of images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) cannot be imported; nothing was changed. Correct them and import again.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Dry run: %n entry(ies) would be added; nothing was changed.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to add: every entry is on the list already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing was imported: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n entry(ies).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>allow, import: why, kept with the entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TEXT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allow: when the entry stops allowing (YYYY-MM-DD, or an ISO 8601 time).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DATE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>import: show the plan, change nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allow, import: a team workspace (libpq URI).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allow needs one entry, e.g. opsdeck images allow nginx:1.27-* --reason &quot;base image&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>import needs one FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allow needs --reason: why, kept with the entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--expires &quot;%1&quot; is not a date in the future (YYYY-MM-DD or an ISO 8601 time).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;: use check, allow or import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check: also every image of this compose file&apos;s active services.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check --compose: the variables file (instead of the project&apos;s .env).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the compose file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the --env-file %1 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check needs one or more images or --compose FILE, e.g. opsdeck images check nginx:1.27 --project shop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>built locally by compose: not checked</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ImagesPane</name>
    <message>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The container image allowlist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This pane keeps the team&apos;s allowlist of container images: global and project entries, the requests for new images with their approvals, and what your Harbor and OCI registries hold, with their scan results. Join or open a workspace for the allowlist, and add a registry connection to see its images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Allowlist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;quests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;gistries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Exposure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ga&amp;te</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n removed, %1 freed.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Filter by entry, project, reason or who added it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;llow Image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add an entry: an exact tag, a tag pattern, a repository, a digest or a namespace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;voke…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I&amp;mport…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add many entries at once, pasted or from a file, after a preview of every line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for a decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by image, project or person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Request Image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;pprove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Deny…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by registry, repository, tag, digest or severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Vulnerabilities…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the selected artifact&apos;s vulnerability report from Harbor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;can</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask Harbor to scan the selected artifact</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Syncing %n registr(y/ies)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No workspace is open: the allowlist cannot change here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Sending %n change(s) to the workspace…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Importing into the workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;voke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the vulnerability report of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vulnerabilities of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CVE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report lists no vulnerabilities.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Asking Harbor to scan %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A plain registry keeps no scans: this needs Harbor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No registry connection: add one for Harbor or an OCI registry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dangling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by host, image, ID or container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected images from their hosts (an image a container uses stays)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;rune…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove dangling or unused images, stopped containers, unused volumes or build cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries expiring within </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xposed only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;top Container…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request &amp;This Image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running containers whose image is not allowed now, was never allowed, has findings at or above the chosen severity, is blocked by the vulnerability gate, or whose allowing entry or CVE exception expires soon.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop Container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop %1 on %2?

It is exposed: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Remove %n image(s)?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them is used by a container: the engine keeps it.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Removing %n image(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Pruning…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ImportDialog</name>
    <message>
        <source>Import Allowlist Entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Global (every project)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For lines without a # reason of their own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xpire on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>registry.example.com/team/app:1.4   # the checkout service
nginx:1.27-*</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open File…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Scope:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason or problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One reference a line, with an optional &quot;# reason&quot;:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is larger than 4 MiB: not a list of images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text files (*.txt *.list);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 invalid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the invalid and missing lines (a line without a # reason needs the reason above): nothing is imported while any is left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the synced registries…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n entry(ies)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::ImportReportsDialog</name>
    <message>
        <source>Import Test Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JUnit XML reports from pytest, Maven Surefire and Failsafe, Gradle, jest, go test, cargo-nextest, TestNG, CTest or PHPUnit. Each report becomes one run of the source; a folder&apos;s .xml files are imported one by one, each whole or not at all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;Files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add F&amp;older…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs of one source make a history: new failures, flaky cases and trends are judged within it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Branch:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Commit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JUnit XML Reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JUnit XML reports (*.xml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Folder of Reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the reports or folders to import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the source the runs belong to (1 to 200 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A commit is given by its hash: 4 to 64 hexadecimal digits.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::JUnitReader</name>
    <message>
        <source>The time &quot;%1&quot; of %2 is not a duration; it counts as 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Long outputs and messages were cut to %1 characters each.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1, column %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The timestamp &quot;%1&quot; of suite %2 could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>suite %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>case %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file is empty: not a JUnit XML report.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not a JUnit XML report: it ends before any element.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the report ends before its elements are closed (&lt;%1&gt; is still open); the file is truncated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this is not a JUnit XML report: it is not XML (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>malformed XML: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the report declares a DOCTYPE or entities; such reports are refused, and nothing in them is resolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the report refers to the entity &amp;%1;, which is refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this is not a JUnit XML report: its root element is &lt;%1&gt;, not &lt;testsuites&gt; or &lt;testsuite&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Characters that XML 1.0 forbids (%1 control codes, such as terminal colours) are shown escaped as \xNN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report claims %1 tests; the totals count the cases read: %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Job</name>
    <message>
        <source>Recording the job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updating the job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no job %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the job log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the job log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interrupted: Opsdeck stopped while this job ran. Check what its log says was already done before you redeploy.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::JobSubmitDialog</name>
    <message>
        <source>Global entries only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whose image allowlist entries apply to this deploy, besides the global ones</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image &amp;allowlist:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it must run anyway: kept in the audit log (needs image.override)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy &amp;anyway:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the job…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::JobsModel</name>
    <message>
        <source>Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::JsonAnswer</name>
    <message>
        <source>%1 is not valid JSON (%2 at byte %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a JSON object.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a JSON array.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::JsonSchema</name>
    <message>
        <source>%1 is not of type %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not one of the allowed values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is too short</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is too long</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not match its pattern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is below its minimum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 lacks %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The document does not match its schema: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::LabelPolicy</name>
    <message>
        <source>A label pattern is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The label pattern &quot;%1&quot; is not valid: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A label is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The label &quot;%1…&quot; is longer than 100 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The label &quot;%1&quot; contains a space or a comma.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The runner name &quot;%1&quot; must be 1 to 64 letters, digits, &apos;-&apos;, &apos;_&apos; or &apos;.&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The label &quot;%1&quot; is both required and forbidden.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The policy must allow at least one way to provision runners.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This connection&apos;s policy does not allow just-in-time runners.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This connection&apos;s policy does not allow registration tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The label &quot;%1&quot; is forbidden by the policy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The custom label &quot;%1&quot; matches none of the allowed patterns (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The label &quot;%1&quot; is required by the policy but missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>added %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ListDialog</name>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::LiteLLMAnswers</name>
    <message>
        <source>%1 does not have the documented shape: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not a text of at most %3 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not an amount of dollars</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not a whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not true or false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not a date and time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; holds something that is not a name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; holds something that is not an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s &quot;%2&quot; is not an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an item of the %1 is not an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the page has no list &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has neither &quot;user_id&quot; nor &quot;user_email&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>organizations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>organization %1&apos;s budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a member of organization %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a team of organization %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>teams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a member of team %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>customer %1 has no &quot;blocked&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>customer %1&apos;s budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>spend log %1 has no &quot;startTime&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than %1 %2 on a page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keys (ask with return_full_object=true)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>spend logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the daily activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the daily activity&apos;s metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the daily activity has no list &quot;results&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than %1 days on a page of daily activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a day of the daily activity is not an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a day of the daily activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the daily activity&apos;s date &quot;%1&quot; is not a day (YYYY-MM-DD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the daily activity of %1 has no &quot;metrics&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the metrics of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the daily activity lists %1 twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the model info has no list &quot;data&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than %1 model deployments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a model deployment is not an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a model deployment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model %1 has no &quot;litellm_params&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model %1 has no &quot;model_info&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the model info of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the model info lists deployment %1 twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>budget %1 has no &quot;created_at&quot; or &quot;updated_at&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the budget list holds budget %1 twice</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::LiteLLMService</name>
    <message>
        <source>Demo data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo&apos;s proxy is not real: %1 was not sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy made the change, but the cache could not follow: %1 (the next sync brings it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted %1 %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert thresholds kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy answered with more than %1 pages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the organizations of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the teams of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the end customers of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the users of %1 (page %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the keys of %1 (page %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the models of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the spend logs of %1 (page %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the daily spend of %1 (page %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write the proxy&apos;s budgets to the cache: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 teams, %2 users, %3 keys; %4 new spend log rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the budget plans of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::LogView</name>
    <message>
        <source>Search the log (Enter: next, Shift+Enter: previous)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the newest line in view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Timestamps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> lines kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Older lines are dropped beyond this many</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected lines (Ctrl+C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop following these logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n line(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n older dropped</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log files (*.log *.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Saved %n line(s) to %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::MainWindow</name>
    <message>
        <source>Opsdeck — Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 API: %2 of %3 requests left, resets %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to refresh: no connection feeds this pane yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Refreshing %n connection(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connections…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team &amp;Workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo has its own team; a real data directory joins one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Go to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Previous pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;table&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+K&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Go to a pane or connection&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+1 … Ctrl+7&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Show a pane&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+PgDown / Ctrl+PgUp&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Next / previous pane&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;F5&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Refresh the current pane&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+,&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Connections&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;&lt;b&gt;Ctrl+Q&lt;/b&gt;&lt;/td&gt;&lt;td&gt;Quit&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Opsdeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Opsdeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Opsdeck %1&lt;/h3&gt;&lt;p&gt;A native admin console for GitHub Actions runners, Docker deployments, Harbor images, LiteLLM budgets and contract tests.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck stopped unexpectedly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck stopped unexpectedly the last time it ran.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n more crash report(s) in the same folder.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The crash report is %1. Nothing in it is secret (it holds no memory contents); attach it when you report the problem.

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show Report Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck stopped unexpectedly last time; the crash report is %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import Test Results…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+I</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::MockForm</name>
    <message>
        <source>Mock Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not run by a container Opsdeck knows)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the container&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Health check path:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check &amp;every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Docker connection:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Container:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::MockStore</name>
    <message>
        <source>Reading the mocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading mock %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is a mock named &quot;%1&quot; already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving mock %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no mock %1 (removed meanwhile?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing mock %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording a health check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forgetting old health checks</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Mocks</name>
    <message>
        <source>not known</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A mock needs a name of 1 to 200 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mock&apos;s URL must be http or https with a host and no credentials (got &quot;%1&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The health check&apos;s path starts with / and has no spaces (got &quot;%1&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check every 5 seconds to once a day (got %1 s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the Docker connection that runs the container %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::MocksDialog</name>
    <message>
        <source>Mock Servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check &amp;Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;start Container…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No mock yet: Add… names a mock server and how to ask for its health.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart the container through its Docker connection (audited).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the mock&apos;s container and Docker connection to restart it from here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the mock %1 and its health history from this desktop?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mock server itself keeps running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart the container %1 that runs %2? Golden runs against it meanwhile will fail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restarting %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::MocksModel</name>
    <message>
        <source>Mock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uptime 24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uptime 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outages (7 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the mocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the health of mock %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::NewRunnerDialog</name>
    <message>
        <source>New runner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organization %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repository %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ci-linux-x64-042</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>linux, x64, team-platform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Just-in-time config (one job, then gone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Registration token (config.sh)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;opy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Register in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runner &amp;group ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Labels:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking GitHub…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runner %1 created. Start it with the official runner:

%2

or in a container:

%3
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registration token (expires %1):

%2
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown once: Opsdeck does not keep this secret. Copy it now.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Notifications</name>
    <message>
        <source>%1 tests: %2 passed, %3 failed, %4 errors, %5 skipped, %6 flaky</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %n new failure(s) in %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1: run %2 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>branch %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>commit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When a run fails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When a run has new failures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Slack webhook is not a URL: copy it from the app&apos;s Incoming Webhooks page (https://hooks.slack.com/services/…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Slack webhook must be an https address: the URL itself is the secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Jira site is its https address, such as https://your-domain.atlassian.net.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Jira account is the e-mail address its API token belongs to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Jira project key is an uppercase letter followed by 1 to 9 uppercase letters, digits or underscores (OPS, QA2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the issue type to create (Bug, Task).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>*Failing:*</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>*New failures:*</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slack could not read the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the user of the webhook does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the workspace restricts posting with this webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the webhook&apos;s channel does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the webhook&apos;s channel is archived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slack failed on its side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the webhook is disabled, removed or not a webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the message had no text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>posting to #general is not allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no explanation was given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slack refused the message for now (too many messages): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slack answered &quot;%1&quot; instead of ok.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slack refused the message (HTTP %1): %2 (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failing cases:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New failures (passing in the run before):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reported by Opsdeck from run %1 of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jira created an issue but did not say its key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the account or its API token is not accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the account may not create issues in this project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jira did not create the issue (HTTP %1): %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The telemetry receiver is an https address (or http on this machine), such as https://ci.example.com/opsdeck/runs.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::NotifyDialog</name>
    <message>
        <source>Notifications for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept in your keychain; enter a new one to replace it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Post:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incoming &amp;webhook:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jira</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the e-mail address of the API token&apos;s account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;reate an issue:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Site:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Account:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API &amp;token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pro&amp;ject key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issue t&amp;ype:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A notifier that fails never fails the import: the failure is shown, logged and kept in the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Offboarding</name>
    <message>
        <source>Reading the connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a person of this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivate %1 in the workspace and revoke their sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1 from GitHub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No GitHub connection: there is no organization to remove them from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1 from the GitHub organization %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 names no organization, only repositories.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No GitHub login is linked to %1 in the workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1&apos;s runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record the busy runner %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the idle runner %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete their runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 owns no runner.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1&apos;s deployments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the deployment %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing of it runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop their deployments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 deployed nothing that is still there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No %1 connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No %1 user is linked to %2 in the workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the offboarding of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading offboarding %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no offboarding %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the offboardings of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording step %1 of offboarding %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offboarding %1 has no step %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording offboarding %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1 from every Harbor project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block the LiteLLM user %1 and their keys</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::OffboardingDialog</name>
    <message>
        <source>Offboard %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every step, in order. Each one is recorded in the audit log with your comment; a step that fails does not stop the others, and can be run again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why (required; it goes into every step&apos;s audit event)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start Offboarding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planning the steps…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offboarding needs the services of a running Opsdeck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running: %1 of %2 steps finished…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done: every step is done or skipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not finished: %n step(s) failed. Resume runs again what is not done.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Not finished: %1 of %2 steps done. Resume runs the rest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n step(s) to run; the skipped ones say why.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::OffboardingModel</name>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to do</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::OffboardingRemote</name>
    <message>
        <source>%1 (removed from %2 before that)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing %1 from the Harbor project %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a member of no Harbor project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 removed from %n project(s): %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the members of the Harbor project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n key(s) blocked before that)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Blocking the LiteLLM user %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 is blocked, with %n key(s) of theirs.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Blocking a LiteLLM key of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the Harbor projects of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the LiteLLM keys of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::OffboardingService</name>
    <message>
        <source>Nobody offboards themselves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why %1 is offboarded: the comment goes into every step&apos;s audit event.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An offboarding of %1 is not finished yet: resume it instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The offboarding of %1 is running already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is deactivated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace service is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is deactivated and can no longer sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No GitHub login is linked to %1 in the workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GitHub service is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is out of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runner %1 is gone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runner %1 is busy with a job: left to finish it, and recorded here. Remove it from the Runners pane once it is idle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runner %1 is deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker service is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %n container(s) stopped.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing of theirs to act on.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Overflow</name>
    <message>
        <source>A credits factor is a number from 0 to 1,000 (credits per dollar of spend).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The overflow of %1 for the period ending %2 is settled already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A settlement needs a reference: the invoice, credit note or ticket that settles it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reference is longer than 200 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the overflow ledger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the credits factors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>settled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>partly settled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Pane</name>
    <message>
        <source>%1: not synced yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: last sync failed (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: synced %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To start, add a connection (%1) with &lt;b&gt;File › Connections…&lt;/b&gt; (Ctrl+,).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> or </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a %1 connection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) can feed this pane. This version of Opsdeck checks their health with Refresh (F5); the pane&apos;s own view arrives in a coming release.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::PeopleActionDialog</name>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Change the Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new role of %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Change Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivate People</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Deactivate %n person(s): %1. They can no longer sign in to the workspace, and every action in their name is refused. Each one is recorded in the audit log with your comment.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reactivate People</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Reactivate %n person(s): %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Reactivate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Why (required; it goes into the audit log):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Comment for the audit log (optional):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the people first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why: the comment goes into each person&apos;s audit event.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::PeopleChanges</name>
    <message>
        <source>%1: nobody changes their own role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: nobody deactivates themselves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is a person of this workspace already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: only %2 links their own GitHub login</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::PeopleModel</name>
    <message>
        <source>Login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last reviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other systems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>superuser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::PermissionGate</name>
    <message>
        <source>%1 — not allowed: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Permissions</name>
    <message>
        <source>Reading who acts on this desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop&apos;s own workspace: its admin may do everything.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a person of the workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the grants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused by the workspace&apos;s permissions: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>role %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allow %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deny %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (grant %1, by %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is deactivated: nothing is done in their name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may not %2: denied by %3 (a deny wins over any allow).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may %2: allowed by %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 may not %2: no grant for the role %3 or for them allows it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::PersonActivityModel</name>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deployment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::PersonChange</name>
    <message>
        <source>&quot;%1&quot; is not a workspace login: lower-case letters, digits and &apos;_&apos;, starting with a letter or &apos;_&apos;, at most 63.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a role: user, admin or superuser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an email address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The email address is longer than 254 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name is one line of at most 200 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a GitHub login: letters, digits and single hyphens, not at either end, at most 39.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why %1 is deactivated: the comment goes into the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The comment is longer than 2,000 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Harbor user name is one word of at most 255 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A LiteLLM user id is one word of at most 255 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No GitHub login to link.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An OIDC subject is at most 255 printable ASCII characters, without spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add %1 as %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reactivate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Link the GitHub login %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::PersonDialog</name>
    <message>
        <source>User: provisions just-in-time runners, removes their own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admin: everything but managing superusers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Superuser: everything (two at most)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lower-case, e.g. ada_lovelace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>their Harbor user name, if they have one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>their LiteLLM user id, if they have one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the subject (sub) your identity provider gives them, if any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;GitHub login:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Harbor user:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;LiteLLM user ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;OIDC subject:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: none for a client certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;peat:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A login names the person in the workspace and in PostgreSQL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::PoliciesTab</name>
    <message>
        <source>Policies in the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget policies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;et Policy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set model access, guardrails or a feature flag for an account, group, team or user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team &amp;Group…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put a team in a group, whose policies its teams take</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effective policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F&amp;or:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy drift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;pply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bring the selected drifted teams and keys (or all of them) in line: a dry run first, then the updates</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n policy change(s) made.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n update(s) applied to the proxy.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No workspace is open: policies cannot change here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No team or key is under a model or guardrail policy yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>All %n team(s) and key(s) under a policy are as it says.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 teams and keys under a policy differ from it on the proxy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No workspace is open: policies cannot change here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Sending %n change(s) to the workspace…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sending %n update(s) to the proxy…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Remove Policies</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Remove %n policy item(s)? Where a broader scope sets the item, it decides again.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No LiteLLM connection has synced teams yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::PolicyDialog</name>
    <message>
        <source>Label policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One pattern per line: team-* (glob) or re:^gpu-[0-9]+$ (regular expression). Empty: any custom label.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow just-in-time runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow registration tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Require ephemeral runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also delete busy drifted runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed custom &amp;labels:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Required labels:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forbidden labels:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::PolicyModels</name>
    <message>
        <source>Reading the budget policies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unreadable: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Own keys (no team)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In team %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effective</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overrides</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models on the proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy: models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy: guardrails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drifted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the policy says</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the accounts&apos; credits factors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Factor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 × %2 = %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settled by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>until %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The budget period that ends %1 (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settled %1 by %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the team&apos;s models</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Probes</name>
    <message>
        <source>The connection &quot;%1&quot; has no secret: enter its %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pinging the Docker engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the GitHub App&apos;s installations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking GitHub who this token belongs to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the registry API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking Harbor for the current user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking LiteLLM about this key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing Cloudflare tunnels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Docker engine answered (API version %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GitHub App is valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in to GitHub as %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub accepted the token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The registry speaks the OCI distribution API.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in to Harbor as %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harbor accepted the credentials.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LiteLLM accepted the key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cloudflare accepted the token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cloudflare answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub&apos;s list of App installations is not a JSON array.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub sent an App installation without an &quot;id&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ProjectsModel</name>
    <message>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Managers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harbor project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::QuickServiceDialog</name>
    <message>
        <source>%1, line %2: write NAME=value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tunnel route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>app.example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>excalidraw/excalidraw:latest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Choose a free host port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional, e.g. --port 3000 (no shell)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAME=value, one per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values are not stored with the job: Redeploy after a restart asks for them again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key=value, one per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unless stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Always</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Deploy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Docker &amp;host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Image:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Container &amp;port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;mmand:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Environment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Labels:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Restart:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tunnel:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host&amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a Docker connection first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (from the image; -2, -3… if taken)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from the image</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::QuickSwitcher</name>
    <message>
        <source>Go to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to a pane or a connection…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RegistryAnswers</name>
    <message>
        <source>%1 does not have the documented shape: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harbor&apos;s answer does not have the documented shape: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the CVE allowlist&apos;s &quot;items&quot; is not a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a CVE allowlist item has no usable &quot;cve_id&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The registry&apos;s token server&apos;s answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it has neither &quot;token&quot; nor &quot;access_token&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the token has characters a header cannot carry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The registry&apos;s catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;repositories&quot; is not a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it lists more names than any page holds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a repository name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tag list of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it names another repository (&quot;%1&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;tags&quot; is not a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it lists more tags than any page holds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The registry&apos;s manifest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its Content-Type (%1) and mediaType (%2) disagree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The registry answered with a manifest of a kind Opsdeck does not read (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;schemaVersion&quot; is not 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a descriptor has no valid digest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a descriptor has no valid size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;manifests&quot; is not a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;layers&quot; is not a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the layers&apos; sizes overflow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harbor&apos;s project list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a project has no usable &quot;project_id&quot; and &quot;name&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the project %1 has an unknown severity &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harbor&apos;s repository list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a repository name of a project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harbor&apos;s artifact list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an artifact has no valid digest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an artifact&apos;s &quot;tags&quot; is not a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harbor&apos;s vulnerability report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the report&apos;s &quot;vulnerabilities&quot; is not a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a vulnerability has no &quot;id&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harbor&apos;s CVE allowlist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Docker v2 schema 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCI image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCI index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Docker manifest list</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RegistryIndex</name>
    <message>
        <source>Cannot read the synced registries: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not in the registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no manifest %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the tag %1 is not in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 pointed at %2 when approved, now at %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in a synced registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repository gone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag gone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Digest moved since approval</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RegistryService</name>
    <message>
        <source>Cannot keep the vulnerability report of %1 in the cache: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the Harbor projects of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a plain registry: it keeps no vulnerability scans.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1@%2&quot; is not an artifact of a Harbor project.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the vulnerability report of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot keep the vulnerability report in the cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only an artifact of a Harbor project can be scanned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking Harbor to scan %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harbor is scanning %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the repositories of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write the registry&apos;s contents to the cache: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 repositories, %2 tags (%3 new, %4 gone)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RegistrySession</name>
    <message>
        <source>Reading the vulnerability report of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the artifacts of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the repositories of the Harbor project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading Harbor&apos;s system CVE allowlist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolving %1:%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the tags of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking %1 for a registry token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The registry&apos;s token server refused the credentials of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 went on for more than %2 pages; stopped there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the next page is on another host (%2).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RegistryTagsModel</name>
    <message>
        <source>Registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Digest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pushed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untagged)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not scanned</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RemoveRunnersDialog</name>
    <message>
        <source>Remove runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Remove %n runner(s) from GitHub? Say why; the comment goes into the audit log.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Comment (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All %1 removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 removed, %2 failed: see the list.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RenewalTab</name>
    <message>
        <source>Next 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next 31 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next 3 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cadence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spend now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget renewals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No budget resets in the %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 budgets reset in the %2; the spend against them, %3 now, returns to zero. The first: %4 %5, %6.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Retention</name>
    <message>
        <source>A cleanup now would remove nothing: every run is within the limits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to clean up: every run is within the limits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) you kept stay although the limits would remove them.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>with %n artifact folder(s) of %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mock health sample(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>A cleanup now would remove %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> and </source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) stay.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::RetentionDialog</name>
    <message>
        <source>Test Run Retention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>forever</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs that started longer ago than this are removed, with their golden artifacts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Of each source, only this many of its newest runs stay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep runs for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the newest of each source:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved limits are applied when Opsdeck starts and after each import. Runs you keep (the run list&apos;s context menu, Keep Through Cleanups) always stay. Mock health samples go with the age limit, but never sooner than the 7-day uptime needs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean &amp;Up Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Retention Limits</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>With these limits the next cleanup removes %n run(s). Save them?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The preview cannot be made: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preview: the test runs&apos; worker is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking at what these limits would remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean Up Test Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Remove %n run(s) now?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Removed runs and their artifacts cannot be brought back. The cleanup is recorded in the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cleaning up…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::ReviewModel</name>
    <message>
        <source>role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role or grant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RevokeGrantDialog</name>
    <message>
        <source>Revoke a Grant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke %1? Whoever it applies to may no longer rely on it; a deny revoked lets the other grants decide again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Why (required; it goes into the audit log):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why: the comment goes into the audit event.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RouteDialog</name>
    <message>
        <source>Add a tunnel route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change a tunnel route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove a tunnel route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>app.example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The change to the tunnel configuration shows here before anything is written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Difference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hostname:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Service:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the difference, then apply it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the tunnel configuration…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applying…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RunRecord</name>
    <message>
        <source>The run-signing key has %1 bytes; it needs %2 or more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tampered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unsigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run-signing key has too few bytes; it needs %1 or more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cases of the run did not come in their canonical order, so the record was not signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not an opsdeck-run/1 record: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at byte %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the format is not opsdeck-run/1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the source, run or start time is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the totals are not counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>case %1 has no outcome, duration or flakiness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RunSigningKey</name>
    <message>
        <source>The keychain entry %1 does not hold a run-signing key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain did not answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A run-signing key has %1 bytes or more; this one has %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Runner</name>
    <message>
        <source>GitHub sent a runner without a valid &quot;%1&quot; (%2 expected).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub&apos;s runner list is not valid JSON (%1 at byte %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub&apos;s runner list lacks &quot;runners&quot; or &quot;total_count&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing runners to the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading cached runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marking removed runners</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RunnerPolicyStore</name>
    <message>
        <source>Reading the label policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the label policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the provisioned runner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading provisioning records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marking a runner removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linking a provisioned runner</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RunnersModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provisioned by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organization / repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gone from GitHub since %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::RunnersPane</name>
    <message>
        <source>Runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub Actions self-hosted runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This pane lists the self-hosted runners of your GitHub organization and repositories, provisions new ones under a label policy (just-in-time or registration token), removes them with an audited comment, and cleans up runners that drift from the policy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name, label, owner, OS…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed (history)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Busy or idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only runners with this label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provisioned by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only runners provisioned through Opsdeck by this person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The GitHub connection that new runners, the policy and the drift view apply to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New runner…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected runners (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label &amp;policy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore &amp;labels…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the selected drifted runner&apos;s custom labels back to those it was provisioned with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Drift…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the next sync would delete (dry run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a runner to see its labels and the history of Opsdeck&apos;s actions on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not provisioned by Opsdeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provisioned by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New runner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove runners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select runners of one GitHub connection at a time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the runners to remove first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the custom labels of %1 back to those it was provisioned with?

Drift now: %2

GitHub changes the runner at once; the change is audited.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provisioned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not through Opsdeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck&apos;s actions on this runner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Screenshots</name>
    <message>
        <source>Cannot create the directory %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::SecretStore</name>
    <message>
        <source>No OS keychain is available (%1). Opsdeck stores secrets only in a keychain such as GNOME Keyring or KWallet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain holds no secret for this connection. Enter it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access to the keychain was denied (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::SettleDialog</name>
    <message>
        <source>Settle the Overflow of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 spent %2 against a budget of %3 in the period ending %4: %5 over, %6 of it open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The invoice, credit note or ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settle %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reference:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;omment:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::SigningKeyDialog</name>
    <message>
        <source>Run-Signing Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every run imported here is signed with a key kept in your keychain. Teammates who use the same key check each other&apos;s runs; a run signed with a key this desktop does not hold shows &quot;another key&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy Key for a Teammate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Puts the key on the clipboard for a minute, to pass on through a password manager.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The team&apos;s key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the key a teammate copied (base64)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Use This Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test-runs service is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs are signed with key &lt;b&gt;%1&lt;/b&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the team&apos;s key to check it here first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is not a run-signing key: base64 of %1 bytes or more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop signs with that key already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key id %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the Run-Signing Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whoever holds this key can sign runs that check as this team&apos;s. Pass it on only through a password manager or another private channel. The clipboard is cleared again in a minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key %1 copied; the clipboard is cleared in a minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the Team&apos;s Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign every run imported here with key %1 from now on? The current key %2 stays in your keychain, so the runs it signed stay checkable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeping the key…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::SpendAttribution</name>
    <message>
        <source>(no organization)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no team)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no user)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the names of the spend&apos;s groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The range of days is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attributing the spend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the requests of the day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the proxy&apos;s daily totals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>w/c %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not reconciled yet: the proxy&apos;s daily totals come with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not reconciled: this proxy does not report daily totals (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconciled: the proxy&apos;s own daily totals for these days come to the same %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Does not reconcile: the proxy&apos;s daily totals come to %1, %2 %3 than the spend logs; %4 days differ, most %5 (logs %6, proxy %7).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>less</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::SpendLogStore</name>
    <message>
        <source>Cannot keep the spend logs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the spend logs: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TeamAudit</name>
    <message>
        <source>Reading how far this desktop&apos;s audit log reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the audit outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending audit events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending audit event %1 to the team workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the team&apos;s audit trail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the team&apos;s audit trail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>event %1 carries the id %2: it was moved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>event %1 does not follow the one before it: an event before it was removed or inserted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>event %1 was changed after it was recorded: its hash does not match</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TeamCli</name>
    <message>
        <source>Workspace: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema: none yet (run opsdeck team init as the database owner)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema: %1 (this Opsdeck: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as: %1 (%2%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, deactivated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as: %1 (not a person of this workspace)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 (%3 active)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the people: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace (a libpq connection URI).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>init: the first superuser&apos;s login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LOGIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ROLE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The person&apos;s email address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the new login&apos;s password from the first line of standard input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dir</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>init needs --superuser LOGIN: the first person who may manage everyone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace %1 is at schema %2; %3 is a superuser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>can: what the action is done on, as facets (&quot;connection:gh mode:jit&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>can needs a LOGIN and an ACTION, e.g. opsdeck team can bob runner.delete --scope owner:carol.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password for %1: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the data directory %1 has not joined a team workspace: join one in File › Team Workspace…, or give it with --url postgresql://LOGIN@HOST/DATABASE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was changed: the audit log %1 cannot be opened (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not recorded in the audit log: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a person of this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person add, role: user, admin or superuser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person: the display name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person: the GitHub login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>G</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person: why, for the audit log (required to deactivate).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person %1 needs one or more LOGINs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person %1 needs one LOGIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person %1 needs --role user|admin|superuser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person deactivate needs --comment: why, for the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person: their Harbor user name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>H</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person: their LiteLLM user id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: done, grant %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grant: the person the grant is for (or listed for).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grant add: a deny, which wins over any allow.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>init, status, can, person or grant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;: init, status, can, person add|edit|role|deactivate|reactivate, or grant add|revoke|list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grant add needs one ACTION and either --role R or --person LOGIN, e.g. opsdeck team grant add image.request --role user --scope project:shop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grant revoke needs the numbers of one or more grants (opsdeck team grant list shows them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a grant&apos;s number.</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person: the subject their identity provider (OIDC) gives them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TeamRecords</name>
    <message>
        <source>%1 needs a name of 1 to 200 characters without spaces around it (got &quot;%2&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A test-run source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a kind of test-run source: files, github or golden.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 of source %2 carries credentials: a team shares no secrets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jira is on for %1: its site must be an https address (got &quot;%2&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jira is on for %1: its project key is capital letters and digits, such as OPS (got &quot;%2&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Jira site, project or issue type of %1 is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A mock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The address, path, connection or container of mock %1 is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A published run&apos;s source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A run of %1 has no key, or one longer than 300 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 of %2 has a record of %3 MiB, over the workspace&apos;s %4 MiB: it stays on this desktop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record of run %1 of %2 is not an opsdeck-run/1 record of that run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature of run %1 of %2 is not 64 lowercase hex digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key id of run %1 of %2 is not 16 lowercase hex digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 of %2 has a signature without its key id, or the other way round.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The desktop&apos;s name is longer than 200 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change the test-run source %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove the test-run source %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change the mock %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove the mock %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) published</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::TeamSettings</name>
    <message>
        <source>Reading test source %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The team&apos;s %1 is a %2 source; this desktop&apos;s is %3. Rename one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The team&apos;s %1 reads GitHub through the connection &quot;%2&quot;, which this desktop does not have.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The team files Jira issues for %1: add your Jira account and token under Notifications… to file them from this desktop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no test source %1 (removed meanwhile?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no mock %1 (removed meanwhile?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the team&apos;s mocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The team&apos;s mock %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the team&apos;s test sources</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TeamWorkspaceDialog</name>
    <message>
        <source>Team Workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a team workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>postgresql://LOGIN@HOST:5432/DATABASE?sslmode=verify-full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: PGPASSWORD, ~/.pgpass, or the client certificate below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client &amp;certificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: PEM file (e.g. alice.crt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client Certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificates (*.crt *.pem *.cer);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its private key, PEM (e.g. alice.key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client Certificate Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys (*.key *.pem);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace&apos;s database owner gives you the address and your login. The password, or the client certificate and its key, are kept in the keychain, never in settings; the files can go once you have joined. Joining replaces this desktop&apos;s own workspace in the Users pane; your local audit log is sent to the team&apos;s trail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave Team Workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop has not joined a team workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put your login in the address: postgresql://LOGIN@%1:%2/%3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 The password or certificate could not be kept in the keychain (%2): it is kept in memory until Opsdeck quits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave the team workspace %1?

This desktop forgets its copy of the team&apos;s people and grants and goes back to its own local workspace. The team store keeps everything, your audit events included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n audit event(s) of this desktop have not reached the team store yet; they are sent if you join again.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Leave Team Workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left the team workspace; this desktop uses its own workspace again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TestCasesModel</name>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flaky</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the baseline run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the cases of a test run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flaky</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TestInsight</name>
    <message>
        <source>passed on a rerun after failing in %1 of its last %2 runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flipped between passing and failing %1 times in its last %2 runs (%3 %, above %4 %)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunRecords</name>
    <message>
        <source>Sharing the test-run source %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the test-run source %2 is a %3 source, not %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing the test-run source %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sharing the mock %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing the mock %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publishing run %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: run %2 of %3 was published already with another record: a published record never changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the shared test-run sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the shared mocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the copy of the published test runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the published test runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying the shared test-run records</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunStore</name>
    <message>
        <source>Reading test source %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test source &quot;%1&quot; gathers %2 runs; choose another name for these.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adding test source %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing test case names to the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing test cases to the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing test case details to the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading test case names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading test run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no test run %1 in the cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the cases of test run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A test source needs a name of 1 to 200 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adding a test run to the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The import was cancelled; nothing of it was kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the figures of test run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the signature of test run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder %1 holds no .xml files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading who hears about the test runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no test source %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving who hears about %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording a notification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A run read from several reports needs its run key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a JUnit report; it was left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>None of the %n file(s) is a JUnit report.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>There is a test source named &quot;%1&quot; already; choose another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving test source %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no test source %1 of that kind (removed meanwhile?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no test source %1 (removed meanwhile?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing test source %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the mock servers&apos; health history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the test runs for a cleanup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the sources of old test runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing old test runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing the names of cases no run has any more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing old mock health samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>test runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no test run %1 (removed meanwhile?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keeping test run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 of %2 has %3 cases, too many for the workspace: it stays on this desktop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 of %2 came from the workspace: it is published already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record published as run %1 of %2 says it is run %3 of %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>team workspace, published by %1 from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adding a published test run to the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 of %2 from the workspace does not read back as published; it was not adopted.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunsCli</name>
    <message>
        <source>%1 tests, %2 passed, %3 failed, %4 errors, %5 skipped, %6 flaky, %7 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the refusal was not recorded in the audit log: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dir</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The source the runs belong to (default: files).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The branch the runs tested.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BRANCH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The commit the runs tested.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read and count each report; import nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report files or folders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>which reports? Give one or more files or folders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a source needs a name of 1 to 200 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the runs are imported unsigned: the run-signing key is not available (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: refused: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: already imported as run %2 of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (dry run: not imported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (run %1 of %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n report(s) refused; nothing of a refused report was kept.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>the cleanup failed, nothing was removed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not remove the artifact folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test runs from JUnit XML reports (pytest, Maven Surefire and Failsafe, Gradle, jest-junit, go-junit-report, cargo-nextest, TestNG, CTest, PHPUnit).

  opsdeck testruns import [--dry-run] [--json] [--source NAME] [--branch B] [--commit SHA] PATH...
      each report file, and each .xml file under a folder, becomes one run of the source (&quot;files&quot; unless given), imported in a transaction of its own with its audit event and signed with the key in the keychain; a report imported before is not imported again. One line per file with its totals (tests, passed, failed, errors, skipped, flaky, time), or why it was refused. Exit 0 when every report was imported, 1 when any was refused (nothing of a refused report is kept), 2 for a usage error.

  opsdeck testruns cleanup [--dry-run] [--json] [--days N] [--runs N]
      removes runs older than N days and, of each source, all but its newest N runs (default: the limits saved in Settings › Retention…; 0 lifts a limit), with their golden artifact folders and old mock health samples, in one transaction with a testrun.retention event. Kept runs stay. --dry-run says what would go. Exit 0, or 1 when the cache could not be cleaned, 2 for a usage error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the outcome as JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cleanup: keep runs for N days (0: any age).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cleanup: keep the newest N runs of each source (0: all).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cleanup takes no paths.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 takes a whole number from 0 to %2, not &quot;%3&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;: use import or cleanup.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunsModel</name>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flaky</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pass rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the test runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This run was imported without a signing key, so edits to it cannot be detected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run&apos;s record no longer matches its signature: its source, totals or a case&apos;s outcome or duration were changed after it was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run&apos;s record matches the signature made with the key in your keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept through every cleanup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A teammate published this run from the team workspace, signed with a key your keychain does not hold, so it cannot be checked on this desktop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signature is being checked.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunsPane</name>
    <message>
        <source>Test runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs of your test suites from their JUnit XML reports: what failed, what fails newly, which cases are flaky, and how the runs trend.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import JUnit XML reports (Ctrl+I); or drop them onto this pane.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter runs by source, name, branch or commit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;No test runs yet.&lt;/b&gt; Import JUnit XML reports with &lt;b&gt;File › Import Test Results…&lt;/b&gt; (Ctrl+I), drop report files or folders onto this pane, or from a script: &lt;code&gt;opsdeck testruns import --source NAME PATH…&lt;/code&gt;&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Flaky</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;rends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Com&amp;pare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test runs cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use as &amp;Baseline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New failures are now judged against this run for the runs of its source.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with &amp;Previous Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This run has no earlier run of its source on its branch to compare with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check &amp;Signatures Again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy &amp;Commit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n report(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already imported before.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled: nothing of the report being read was kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n refused: nothing of it was imported.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Reports Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n report(s) could not be imported; nothing of them was kept.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>All cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New failures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flaky</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter cases by name, class, suite or message…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New failures fail in this run and passed in the baseline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Baseline:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A case counts as slower when it took this much longer than in the base run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;mpare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>slower by more than</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An import is running; wait for it to finish or cancel it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 · %3 tests: %4 passed, %5 failed, %6 errors, %7 skipped, %8 flaky · %9</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>branch %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tampered: its record no longer matches its signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read with notes: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous run on the same branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No earlier run of this source on this branch: every case is judged on its own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Against %1: %n new failure(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n fixed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n flaky.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Choose two different runs to compare.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newly failing (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still failing (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>was there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slower by more than %1 % (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (+%2 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flaky &amp;Rules…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flaky: a case whose result flips in more than %1 % of its last %2 runs (judged after %3 runs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, or that passed on a rerun after failing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Notifications…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slack and Jira for the selected run&apos;s source, on failed runs or new failures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jira</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was told about %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 issue %2 created for %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be told about %2 (the run is imported): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the notifications of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Telemetry…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post each signed run record to a receiver of yours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signed record was not posted (the run is imported): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Telemetry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each signed run record is posted as JSON (resources/schemas/opsdeck-run-1.schema.json) to this address, its HMAC-SHA256 signature in the X-Opsdeck-Signature header. The receiver checks it with the run-signing key (keychain entry testruns/run-signing-key). Empty: no telemetry.

Receiver:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Telemetry is off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed run records go to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;GitHub…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test runs from the GitHub Actions artifacts of chosen repositories.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go&amp;lden Suites…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Golden HTTP suites Opsdeck runs against a server or mock of yours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Artifacts Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mocks…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mock servers for golden suites: health, uptime, restarts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Se&amp;ttings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Retention…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long runs and their artifacts are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retention: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep Through Cleanups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs are kept for %1 and %2 of each source.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>ever</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>the newest %n</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) from teammates arrived from the team workspace.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The team workspace changed %n source(s) and %1 here.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mock(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Signing Key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key runs are signed with; the team&apos;s, so that teammates check each other&apos;s runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) published to the team workspace.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) wait for the team workspace to answer.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunsService</name>
    <message>
        <source>Runs are imported unsigned: the run-signing key is not available (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signatures cannot be checked: the run-signing key is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 secret is not in the keychain: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slack webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jira API token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Posting the run to Slack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating a Jira issue for the run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run&apos;s record is larger than 64 MiB; it was not posted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record&apos;s schema is missing from this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Posting the run&apos;s signed record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A golden suite is running already; start this one when it is done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no golden suite %1 (removed meanwhile?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The golden run was cancelled; nothing of it was kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The golden run&apos;s artifacts cannot be kept: %1 cannot be made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Golden run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 of %3 cases passed, %4 failed, %5 without an answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health check of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 answered %2 in %3 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 answered %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache is open read-only: nothing can be cleaned up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>test runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cleanup failed, nothing was removed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These artifact folders could not be removed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This run is kept through every cleanup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This run is cleaned up like any other once the retention limits reach it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mock %1 was down at its last check (%2: %3), so failures may be the mock&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no run-signing key: the keychain is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo signs with its own key, which does not change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain is not available, so no key can be kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop signs with that key already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key was not changed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording which key signed the runs so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs are signed with key %1 from now on; those signed before with key %2 stay checkable.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TrendsChart</name>
    <message>
        <source>Select a run to see the trends of its source.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has one run so far: trends need two or more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: pass rate and duration per run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pass rate (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pass rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TunnelConfig</name>
    <message>
        <source>The port %1 is not a port: use 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tunnel configuration is not valid YAML (line %1, column %2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tunnel configuration must be a mapping of keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;ingress&quot; must be a list of rules.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each ingress rule must be a mapping (hostname, service, …).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tunnel configuration cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The config file doesn&apos;t contain any ingress rules.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: invalid HTTP status code &quot;%2&quot; (100 to 999).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is an invalid address, please make sure it has a scheme and a hostname.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an empty service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is an invalid address, ingress rules don&apos;t support proxying to a different path on the origin service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: Hostname cannot contain a port (&quot;%2&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: Hostname patterns can have at most one wildcard character (&quot;*&quot;) and it can only be used for subdomains, e.g. &quot;*.example.com&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule #%1 is matching the hostname &apos;%2&apos;, but this will match every hostname, meaning the rules which follow it will never be triggered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule #%1 has an invalid regex: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has an ingress rule already: update it instead of adding another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The ingress list is not written as a block list (&quot;- hostname: …&quot;): Opsdeck edits only that form, to keep the file as it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no ingress rule to update.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no ingress rule to remove.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot back up %1 to %2: nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2 (the old file is unchanged).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck cannot edit this configuration safely: read back, the file does not hold the rules the change should give. Edit it by hand.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TunnelRoutes</name>
    <message>
        <source>Cannot read the tunnel configuration %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is larger than 4 MB: not a cloudflared configuration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not finish within %2 s and was stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed (exit code %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has an ingress rule already: update it instead of adding another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port %1 is not a port: use 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no ingress rule to update.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no ingress rule to remove.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the tunnel&apos;s configuration file (a locally managed tunnel) or its tunnel ID (a remotely managed one) on the connection %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the configuration of tunnel %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tunnel configuration changed since the preview: look at the new difference and apply again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1 (the previous version is in %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No restart command is set on the connection: cloudflared picks the change up when it restarts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The restart command &quot;%1&quot; cannot be split into arguments.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The configuration was written, but restarting cloudflared failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cloudflared is not installed here: create the DNS record for %1 yourself (cloudflared tunnel route dns %2 %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The configuration was written, but the DNS route failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updating the configuration of tunnel %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated the tunnel configuration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No zone ID on the connection: create or delete the DNS record for %1 yourself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck: tunnel route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating the DNS record %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The route was added, but the DNS record failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created the DNS record %1 → %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking up the DNS record %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No DNS record of %1 points at this tunnel: nothing to delete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleting the DNS record %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted the DNS record %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::TunnelService</name>
    <message>
        <source>%1 is not a Cloudflare connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the demo workspace: Opsdeck does not change any tunnel here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::UsersPane</name>
    <message>
        <source>Provision a just-in-time runner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provision with a registration token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove a runner they provisioned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove someone else&apos;s runner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change a label policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop a container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change a tunnel route</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manage users and admins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manage superusers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People across your platform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone in your team workspace: their role, what they may do and why, and the runners they own. Join a team workspace with opsdeck team init (run once by the database owner) and opsdeck team person add; this desktop then keeps a copy to read offline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Superusers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active or not</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by login, name, email or GitHub login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Permissions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runners and &amp;Deployments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent Ac&amp;tions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a person to see what they may do, and why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Role %1, %2; %n runner(s) owned.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add Person…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add someone to the workspace (Ctrl+Shift+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected person&apos;s name, email and GitHub login (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change &amp;Role…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make the selected people users, admins or superusers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Deactivate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deactivate the selected people, with a comment for the audit log (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rea&amp;ctivate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let the selected people sign in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Offboard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the selected person out of everything at once: the workspace, GitHub, their runners and deployments, Harbor and LiteLLM, step by step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Link My GitHub…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Link your own GitHub login to the workspace through GitHub&apos;s device flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access &amp;Review…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go through everyone&apos;s role and grants, keep or revoke each, and sign it off</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused: %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Grant…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow or deny the selected person, or everyone with their role, an action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;voke…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the selected grant back, with a reason for the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Changing %n grant(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Changing %n person(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The workspace has not said who acts on this desktop yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::Validation</name>
    <message>
        <source>&quot;%1&quot; is not a GitHub account name: use 1 to 39 letters, digits or single hyphens, not at the start or end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a repository name: use 1 to 100 letters, digits, &apos;.&apos;, &apos;-&apos; or &apos;_&apos; (and not &quot;.&quot; or &quot;..&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a repository: write it as owner/name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a container name: start with a letter or digit, then use letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos; (128 at most).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 &quot;%2&quot; is not a port: use a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid DNS label (RFC 1123): 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a host name: 1 to 253 characters (RFC 1123).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a host name: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an environment variable name: start with a letter or &apos;_&apos;, then letters, digits or &apos;_&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The path &quot;%1&quot; leads outside %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The directory %1 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;*&quot; alone is the catch-all rule, which stays last: a route needs a host name such as app.example.com or *.example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a wildcard host name: after &quot;*.&quot; comes a host name (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot;: a wildcard (&quot;*&quot;) can only be the whole first label, as in &quot;*.example.com&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::VulnGate</name>
    <message>
        <source>Name the vulnerability the exception covers (CVE-2024-6119).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a vulnerability identifier such as CVE-2024-6119 or GHSA-xxxx-xxxx-xxxx.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say which image or which project the exception for %1 covers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say why %1 may run despite %2: the reason is kept with the exception.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>project %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reason is longer than 2,000 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An exception for %1 needs an expiry: exceptions end, findings get fixed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The exception for %1 would expire %2, which is past.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the image scans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent deploy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowlist entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blocks %1 and above, and images never scanned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blocks %1 and above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blocks images never scanned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blocks nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in project %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exception %1 for %2 on %3 (%4, until %5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fixed in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no fix yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no synced Harbor registry holds this image, so it was never scanned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it was never scanned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its scan has no result (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vulnerability gate: %1, and the gate blocks images never scanned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vulnerability gate: %1; the gate lets unscanned images through.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vulnerability gate: no finding at %1 or above.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vulnerability gate: findings at %1 or above: %2; the vulnerability report has not been read, so neither the findings nor their exceptions can be named (a registry sync reads it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vulnerability gate: every finding at %1 or above is covered by exceptions %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Vulnerability gate (%1): %2%3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkflowRuns</name>
    <message>
        <source>GitHub&apos;s %1 is not valid JSON (%2 at byte %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub&apos;s %1 lacks &quot;%2&quot; or &quot;total_count&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub&apos;s %1: item %2 has no valid &quot;%3&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list of workflow runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list of artifacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name one repository as owner/name, such as acme/api (got &quot;%1&quot;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The artifact pattern needs 1 to 200 characters; * reads every artifact.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The artifact pattern &quot;%1&quot; is not a valid wildcard: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first sync reads 1 to 100 workflow runs (got %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workflow run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 #%2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkflowRunsModel</name>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workflow run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conclusion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Artifacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workflow runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 #%2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkspaceAccess</name>
    <message>
        <source>there is no Opsdeck cache at %1: start Opsdeck once with this data directory.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkspaceService</name>
    <message>
        <source>the store stopped answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local workspace of this desktop; %1 is its superuser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no Opsdeck workspace yet: its database owner runs opsdeck team init first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds workspace schema %2, older than this Opsdeck needs (%3): its database owner runs opsdeck team init again, which upgrades it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds workspace schema %2, newer than this Opsdeck knows (%3): use a newer Opsdeck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is deactivated in this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The store does not deliver change announcements: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joined %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The team workspace is offline (%1). Showing the copy from %2; trying again in %3 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replacing the copy of the team workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying the people of the team workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying the grants of the team workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying who provisioned which runner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying the runner label policies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the copy of the team workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit events could not be sent to the team workspace: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the workspace does not answer, so the budget records cannot change now. Try again once it is back online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the workspace does not answer, so nobody&apos;s record can change now. Try again once it is back online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is not a person of this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no grant %1 in this workspace (revoked already?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the workspace does not answer, so no grant can change now. Try again once it is back online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace does not answer, so nothing can be imported now. Try again once it is back online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The expiry is not in the future.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the workspace does not answer, so the image records cannot change now. Try again once it is back online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the demo workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the demo team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seeding the demo workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace does not answer, so the introduction cannot be recorded now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace does not answer, so the review cannot be signed off now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a superuser signs off an access review.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>access review</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Review %1 signed off: %n item(s) decided, %2 revoked.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1: the workspace does not answer, so the shared test-run records cannot change now. Try again once it is back online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no shared test-run source %1 in this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no shared mock %1 in this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the store is closed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkspaceStatus</name>
    <message>
        <source>The workspace has not been read yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This desktop&apos;s own workspace (%1). File › Team workspace… joins a team&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local workspace cannot be opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> %n audit event(s) wait to be sent.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Team workspace %1: online, up to date (read %2).%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team workspace %1 is offline (%2): showing the copy read %3. Changes to people and grants are refused until it answers.%4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkspaceStore</name>
    <message>
        <source>&quot;%1&quot; is not a workspace address: %2 Write postgresql://LOGIN@HOST[:PORT]/DATABASE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it must start with postgresql://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the password does not go into the address (it would be kept in settings and shell history); Opsdeck asks for it, or takes PGPASSWORD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it names no host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it names no database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the port must be 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sslmode is one of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opsdeck does not know the parameter &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A client certificate needs both files: the certificate and its private key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the %1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 %2 is larger than 64 KiB: not a PEM file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate (-----BEGIN CERTIFICATE-----).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate in %1 expired on %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate in %1 is valid only from %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no PEM private key (-----BEGIN PRIVATE KEY-----).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The private key in %1 is protected by a passphrase; the keychain protects it instead: remove the passphrase (openssl pkey -in KEY -out PLAIN) and choose that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the local workspace %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the local workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt&apos;s PostgreSQL driver (QPSQL) is not installed: install libqt6sql6-psql.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot prepare the client certificate for signing in to %1 (no private directory under %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot sign in to the team workspace %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the workspace schema version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migration %1 is missing from Opsdeck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace migration %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the workspace schema version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a workspace login: lower-case letters, digits and &apos;_&apos;, starting with a letter or &apos;_&apos;, at most 63.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the workspace set-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locking the workspace set-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace holds schema %1, newer than this Opsdeck knows (%2): it was left as it is. Use a newer Opsdeck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a person of this workspace already, with the role %2: choose another first superuser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adding the first superuser %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for the login %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating the login %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making %1 a superuser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Committing the workspace set-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading who acts in the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the person %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a person of this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the grants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the people of the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading who provisioned which runner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the runner label policies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording the first-run introduction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the label policy of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording runner owners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording that %1 provisioned runner %2 on %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
