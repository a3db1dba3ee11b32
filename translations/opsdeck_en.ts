<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>QObject</name>
    <message numerus="yes">
        <source>&lt;p&gt;The next sync would act on %n drifted runner(s):&lt;/p&gt;&lt;table cellspacing=4&gt;</source>
        <translation><numerusform>&lt;p&gt;The next sync would act on %n drifted runner:&lt;/p&gt;&lt;table cellspacing=4&gt;</numerusform><numerusform>&lt;p&gt;The next sync would act on %n drifted runners:&lt;/p&gt;&lt;table cellspacing=4&gt;</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>allowed, entry %1 expires in %n day(s)</source>
        <translation><numerusform>allowed, entry %1 expires in %n day</numerusform><numerusform>allowed, entry %1 expires in %n days</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>allowing entry expires in %n day(s)</source>
        <translation><numerusform>allowing entry expires in %n day</numerusform><numerusform>allowing entry expires in %n days</numerusform></translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation><numerusform> and %n more</numerusform><numerusform> and %n more</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>exception %1 expires in %n day(s)</source>
        <translation><numerusform>exception %1 expires in %n day</numerusform><numerusform>exception %1 expires in %n days</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>expires in %n day(s)</source>
        <translation><numerusform>expires in %n day</numerusform><numerusform>expires in %n days</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::AccessReviewDialog</name>
    <message numerus="yes">
        <source>%n item(s); %1 to revoke.</source>
        <translation><numerusform>%n item; %1 to revoke.</numerusform><numerusform>%n items; %1 to revoke.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::ApplyPolicyDialog</name>
    <message numerus="yes">
        <source>A dry run: nothing has been sent yet. %n update(s) would bring the proxy in line with the workspace's policies:</source>
        <translation><numerusform>A dry run: nothing has been sent yet. %n update would bring the proxy in line with the workspace's policies:</numerusform><numerusform>A dry run: nothing has been sent yet. %n updates would bring the proxy in line with the workspace's policies:</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>&amp;Apply %n Update(s)</source>
        <translation><numerusform>&amp;Apply %n Update</numerusform><numerusform>&amp;Apply %n Updates</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditLog</name>
    <message numerus="yes">
        <source>The audit chain is intact: %n event(s) verified.</source>
        <translation><numerusform>The audit chain is intact: %n event verified.</numerusform><numerusform>The audit chain is intact: %n events verified.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditLogPane</name>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation><numerusform>%n event</numerusform><numerusform>%n events</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n matching event(s)</source>
        <translation><numerusform>%n matching event</numerusform><numerusform>%n matching events</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Wrote the report of %n event(s) to %1.</source>
        <translation><numerusform>Wrote the report of %n event to %1.</numerusform><numerusform>Wrote the report of %n events to %1.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditRetention</name>
    <message numerus="yes">
        <source>events older than %n day(s)</source>
        <translation><numerusform>events older than %n day</numerusform><numerusform>events older than %n days</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>No audit event is older than %n day(s).</source>
        <translation><numerusform>No audit event is older than %n day.</numerusform><numerusform>No audit event is older than %n days.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Audit events older than %n day(s) removed: %1 (%2 of this desktop's chain, %3 imported). The chain is verified from event %4 on.</source>
        <translation><numerusform>Audit events older than %n day removed: %1 (%2 of this desktop's chain, %3 imported). The chain is verified from event %4 on.</numerusform><numerusform>Audit events older than %n days removed: %1 (%2 of this desktop's chain, %3 imported). The chain is verified from event %4 on.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Audit events older than %n day(s) to remove: %1 (%2 of this desktop's chain, %3 imported).</source>
        <translation><numerusform>Audit events older than %n day to remove: %1 (%2 of this desktop's chain, %3 imported).</numerusform><numerusform>Audit events older than %n days to remove: %1 (%2 of this desktop's chain, %3 imported).</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::AuditService</name>
    <message numerus="yes">
        <source>Exported %n event(s) to %1.</source>
        <translation><numerusform>Exported %n event to %1.</numerusform><numerusform>Exported %n events to %1.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetPolicy</name>
    <message numerus="yes">
        <source>%n names: a policy holds at most 500.</source>
        <translation><numerusform>%n names: a policy holds at most 500.</numerusform><numerusform>%n names: a policy holds at most 500.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::BudgetsPane</name>
    <message numerus="yes">
        <source>Syncing %n LiteLLM prox(y/ies)…</source>
        <translation><numerusform>Syncing %n LiteLLM proxy…</numerusform><numerusform>Syncing %n LiteLLM proxies…</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::CaseDetailPanel</name>
    <message numerus="yes">
        <source>Over the last %n run(s) of its source: %1 passed, %2 failed or errored, %3 skipped, %4 without it.</source>
        <translation><numerusform>Over the last %n run of its source: %1 passed, %2 failed or errored, %3 skipped, %4 without it.</numerusform><numerusform>Over the last %n runs of its source: %1 passed, %2 failed or errored, %3 skipped, %4 without it.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::ConnectionStore</name>
    <message numerus="yes">
        <source>%n min</source>
        <translation><numerusform>%n min</numerusform><numerusform>%n min</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation><numerusform>%n h</numerusform><numerusform>%n h</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation><numerusform>%n days</numerusform><numerusform>%n days</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::CreditsTab</name>
    <message numerus="yes">
        <source>%n change(s) made.</source>
        <translation><numerusform>%n change made.</numerusform><numerusform>%n changes made.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Open: %1 in %n entr(y/ies); settled: %2</source>
        <translation><numerusform>Open: %1 in %n entry; settled: %2</numerusform><numerusform>Open: %1 in %n entries; settled: %2</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::DeployDialog</name>
    <message numerus="yes">
        <source>%1: %n route candidate(s).</source>
        <translation><numerusform>%1: %n route candidate.</numerusform><numerusform>%1: %n route candidates.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::DeploymentsPane</name>
    <message numerus="yes">
        <source>Removed %n stopped container(s).</source>
        <translation><numerusform>Removed %n stopped container.</numerusform><numerusform>Removed %n stopped containers.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Remove every stopped container on %1 (%n listed now)? Each removal is audited; their volumes are kept.</source>
        <translation><numerusform>Remove every stopped container on %1 (%n listed now)? Each removal is audited; their volumes are kept.</numerusform><numerusform>Remove every stopped container on %1 (%n listed now)? Each removal is audited; their volumes are kept.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Working on %n container(s)…</source>
        <translation><numerusform>Working on %n container…</numerusform><numerusform>Working on %n containers…</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::DesktopNotice</name>
    <message numerus="yes">
        <source>%n budget(s) on %1 passed a soft limit</source>
        <translation><numerusform>%n budget on %1 passed a soft limit</numerusform><numerusform>%n budgets on %1 passed a soft limit</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation><numerusform>and %n more</numerusform><numerusform>and %n more</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n new failure(s) in %1</source>
        <translation><numerusform>%n new failure in %1</numerusform><numerusform>%n new failures in %1</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::DockerService</name>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation><numerusform>%n image</numerusform><numerusform>%n images</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n container(s)</source>
        <translation><numerusform>%n container</numerusform><numerusform>%n containers</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::FlakyRulesDialog</name>
    <message numerus="yes">
        <source>In %1: these rules would mark %n case(s) flaky</source>
        <translation><numerusform>In %1: these rules would mark %n case flaky</numerusform><numerusform>In %1: these rules would mark %n cases flaky</numerusform></translation>
    </message>
    <message numerus="yes">
        <source> (%n newly</source>
        <translation><numerusform> (%n newly</numerusform><numerusform> (%n newly</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>, %n no longer).</source>
        <translation><numerusform>, %n no longer).</numerusform><numerusform>, %n no longer).</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::GateSettingDialog</name>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation><numerusform>%n item</numerusform><numerusform>%n items</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubLinkDialog</name>
    <message numerus="yes">
        <source>Waiting for you to enter the code at GitHub (it is valid for %n minute(s))…</source>
        <translation><numerusform>Waiting for you to enter the code at GitHub (it is valid for %n minute)…</numerusform><numerusform>Waiting for you to enter the code at GitHub (it is valid for %n minutes)…</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubRunStore</name>
    <message numerus="yes">
        <source>The artifact holds %n file(s), none of them XML.</source>
        <translation><numerusform>The artifact holds %n file, none of them XML.</numerusform><numerusform>The artifact holds %n files, none of them XML.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::GitHubService</name>
    <message numerus="yes">
        <source>%n test run(s) imported from %1</source>
        <translation><numerusform>%n test run imported from %1</numerusform><numerusform>%n test runs imported from %1</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::HostImage</name>
    <message numerus="yes">
        <source>%n volume(s) no container mounts</source>
        <translation><numerusform>%n volume no container mounts</numerusform><numerusform>%n volumes no container mounts</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n build cache record(s)</source>
        <translation><numerusform>%n build cache record</numerusform><numerusform>%n build cache records</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::ImageRecords</name>
    <message numerus="yes">
        <source>%n line(s) cannot be imported; nothing was changed. Correct them and import again.</source>
        <translation><numerusform>%n line cannot be imported; nothing was changed. Correct them and import again.</numerusform><numerusform>%n lines cannot be imported; nothing was changed. Correct them and import again.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::ImagesCli</name>
    <message numerus="yes">
        <source>%n line(s) cannot be imported; nothing was changed. Correct them and import again.</source>
        <translation><numerusform>%n line cannot be imported; nothing was changed. Correct them and import again.</numerusform><numerusform>%n lines cannot be imported; nothing was changed. Correct them and import again.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Dry run: %n entry(ies) would be added; nothing was changed.</source>
        <translation><numerusform>Dry run: %n entry(ies) would be added; nothing was changed.</numerusform><numerusform>Dry run: %n entry(ies) would be added; nothing was changed.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n entry(ies).</source>
        <translation><numerusform>Imported %n entry(ies).</numerusform><numerusform>Imported %n entry(ies).</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::ImagesPane</name>
    <message numerus="yes">
        <source>%n change(s) made.</source>
        <translation><numerusform>%n change made.</numerusform><numerusform>%n changes made.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n removed, %1 freed.</source>
        <translation><numerusform>%n removed, %1 freed.</numerusform><numerusform>%n removed, %1 freed.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Syncing %n registr(y/ies)…</source>
        <translation><numerusform>Syncing %n registry…</numerusform><numerusform>Syncing %n registries…</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Sending %n change(s) to the workspace…</source>
        <translation><numerusform>Sending %n change to the workspace…</numerusform><numerusform>Sending %n changes to the workspace…</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s).</source>
        <translation><numerusform>%n finding.</numerusform><numerusform>%n findings.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Remove %n image(s)?</source>
        <translation><numerusform>Remove %n image?</numerusform><numerusform>Remove %n images?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n of them is used by a container: the engine keeps it.</source>
        <translation><numerusform>%n of them is used by a container: the engine keeps it.</numerusform><numerusform>%n of them is used by a container: the engine keeps it.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Removing %n image(s)…</source>
        <translation><numerusform>Removing %n image…</numerusform><numerusform>Removing %n images…</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::ImportDialog</name>
    <message numerus="yes">
        <source>%n entry(ies)</source>
        <translation><numerusform>%n entry(ies)</numerusform><numerusform>%n entry(ies)</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::LogView</name>
    <message numerus="yes">
        <source>%n line(s)</source>
        <translation><numerusform>%n line</numerusform><numerusform>%n lines</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>, %n older dropped</source>
        <translation><numerusform>, %n older dropped</numerusform><numerusform>, %n older dropped</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation><numerusform>%n match(es)</numerusform><numerusform>%n match(es)</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Saved %n line(s) to %1</source>
        <translation><numerusform>Saved %n line to %1</numerusform><numerusform>Saved %n lines to %1</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::MainWindow</name>
    <message numerus="yes">
        <source>Refreshing %n connection(s)…</source>
        <translation><numerusform>Refreshing %n connection…</numerusform><numerusform>Refreshing %n connections…</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n more crash report(s) in the same folder.</source>
        <translation><numerusform>%n more crash report in the same folder.</numerusform><numerusform>%n more crash reports in the same folder.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::NoticeHub</name>
    <message numerus="yes">
        <source>%n image request(s) for you</source>
        <translation><numerusform>%n image request for you</numerusform><numerusform>%n image requests for you</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::Notifications</name>
    <message numerus="yes">
        <source>%1: %n new failure(s) in %2</source>
        <translation><numerusform>%1: %n new failure in %2</numerusform><numerusform>%1: %n new failures in %2</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation><numerusform>… and %n more</numerusform><numerusform>… and %n more</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::OffboardingDialog</name>
    <message numerus="yes">
        <source>Not finished: %n step(s) failed. Resume runs again what is not done.</source>
        <translation><numerusform>Not finished: %n step failed. Resume runs again what is not done.</numerusform><numerusform>Not finished: %n steps failed. Resume runs again what is not done.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n step(s) to run; the skipped ones say why.</source>
        <translation><numerusform>%n step to run; the skipped ones say why.</numerusform><numerusform>%n steps to run; the skipped ones say why.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::OffboardingRemote</name>
    <message numerus="yes">
        <source>%1 removed from %n project(s): %2</source>
        <translation><numerusform>%1 removed from %n project: %2</numerusform><numerusform>%1 removed from %n projects: %2</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n key(s) blocked before that)</source>
        <translation><numerusform>%1 (%n key blocked before that)</numerusform><numerusform>%1 (%n keys blocked before that)</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%1 is blocked, with %n key(s) of theirs.</source>
        <translation><numerusform>%1 is blocked, with %n key of theirs.</numerusform><numerusform>%1 is blocked, with %n keys of theirs.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::OffboardingService</name>
    <message numerus="yes">
        <source>%1: %n container(s) stopped.</source>
        <translation><numerusform>%1: %n container stopped.</numerusform><numerusform>%1: %n containers stopped.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::Pane</name>
    <message numerus="yes">
        <source>%n connection(s) feed this pane: Refresh (F5) reads them now.</source>
        <translation><numerusform>%n connection feed this pane: Refresh (F5) reads them now.</numerusform><numerusform>%n connections feed this pane: Refresh (F5) reads them now.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::PeopleActionDialog</name>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation><numerusform>%1 and %n more</numerusform><numerusform>%1 and %n more</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Deactivate %n person(s): %1. They can no longer sign in to the workspace, and every action in their name is refused. Each one is recorded in the audit log with your comment.</source>
        <translation><numerusform>Deactivate %n person: %1. They can no longer sign in to the workspace, and every action in their name is refused. Each one is recorded in the audit log with your comment.</numerusform><numerusform>Deactivate %n persons: %1. They can no longer sign in to the workspace, and every action in their name is refused. Each one is recorded in the audit log with your comment.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Reactivate %n person(s): %1.</source>
        <translation><numerusform>Reactivate %n person: %1.</numerusform><numerusform>Reactivate %n persons: %1.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::PoliciesTab</name>
    <message numerus="yes">
        <source>%n policy change(s) made.</source>
        <translation><numerusform>%n policy change made.</numerusform><numerusform>%n policy changes made.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n update(s) applied to the proxy.</source>
        <translation><numerusform>%n update applied to the proxy.</numerusform><numerusform>%n updates applied to the proxy.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>All %n team(s) and key(s) under a policy are as it says.</source>
        <translation><numerusform>All %n team and key under a policy are as it says.</numerusform><numerusform>All %n teams and keys under a policy are as it says.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Sending %n change(s) to the workspace…</source>
        <translation><numerusform>Sending %n change to the workspace…</numerusform><numerusform>Sending %n changes to the workspace…</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Sending %n update(s) to the proxy…</source>
        <translation><numerusform>Sending %n update to the proxy…</numerusform><numerusform>Sending %n updates to the proxy…</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Remove %n policy item(s)? Where a broader scope sets the item, it decides again.</source>
        <translation><numerusform>Remove %n policy item? Where a broader scope sets the item, it decides again.</numerusform><numerusform>Remove %n policy items? Where a broader scope sets the item, it decides again.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::RemoveRunnersDialog</name>
    <message numerus="yes">
        <source>Remove %n runner(s) from GitHub? Say why; the comment goes into the audit log.</source>
        <translation><numerusform>Remove %n runner from GitHub? Say why; the comment goes into the audit log.</numerusform><numerusform>Remove %n runners from GitHub? Say why; the comment goes into the audit log.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::Retention</name>
    <message numerus="yes">
        <source>%n run(s) you kept stay although the limits would remove them.</source>
        <translation><numerusform>%n run you kept stay although the limits would remove them.</numerusform><numerusform>%n runs you kept stay although the limits would remove them.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation><numerusform>%n run</numerusform><numerusform>%n runs</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>with %n artifact folder(s) of %1</source>
        <translation><numerusform>with %n artifact folder of %1</numerusform><numerusform>with %n artifact folders of %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n mock health sample(s)</source>
        <translation><numerusform>%n mock health sample</numerusform><numerusform>%n mock health samples</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) stay.</source>
        <translation><numerusform>%n run stay.</numerusform><numerusform>%n runs stay.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::RetentionDialog</name>
    <message numerus="yes">
        <source>With these limits the next cleanup removes %n run(s). Save them?</source>
        <translation><numerusform>With these limits the next cleanup removes %n run. Save them?</numerusform><numerusform>With these limits the next cleanup removes %n runs. Save them?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Remove %n run(s) now?</source>
        <translation><numerusform>Remove %n run now?</numerusform><numerusform>Remove %n runs now?</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::TeamRecords</name>
    <message numerus="yes">
        <source>%n run(s) published</source>
        <translation><numerusform>%n run published</numerusform><numerusform>%n runs published</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::TeamWorkspaceDialog</name>
    <message numerus="yes">
        <source>%n audit event(s) of this desktop have not reached the team store yet; they are sent if you join again.</source>
        <translation><numerusform>%n audit event of this desktop have not reached the team store yet; they are sent if you join again.</numerusform><numerusform>%n audit events of this desktop have not reached the team store yet; they are sent if you join again.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunStore</name>
    <message numerus="yes">
        <source>None of the %n file(s) is a JUnit report.</source>
        <translation><numerusform>None of the %n file is a JUnit report.</numerusform><numerusform>None of the %n files is a JUnit report.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunsCli</name>
    <message numerus="yes">
        <source>%n report(s) refused; nothing of a refused report was kept.</source>
        <translation><numerusform>%n report refused; nothing of a refused report was kept.</numerusform><numerusform>%n reports refused; nothing of a refused report was kept.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::TestRunsPane</name>
    <message numerus="yes">
        <source>Imported %n report(s).</source>
        <translation><numerusform>Imported %n report.</numerusform><numerusform>Imported %n reports.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n already imported before.</source>
        <translation><numerusform>%n already imported before.</numerusform><numerusform>%n already imported before.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n refused: nothing of it was imported.</source>
        <translation><numerusform>%n refused: nothing of it was imported.</numerusform><numerusform>%n refused: nothing of it was imported.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n report(s) could not be imported; nothing of them was kept.</source>
        <translation><numerusform>%n report could not be imported; nothing of them was kept.</numerusform><numerusform>%n reports could not be imported; nothing of them was kept.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Against %1: %n new failure(s)</source>
        <translation><numerusform>Against %1: %n new failure</numerusform><numerusform>Against %1: %n new failures</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>, %n fixed</source>
        <translation><numerusform>, %n fixed</numerusform><numerusform>, %n fixed</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>, %n flaky.</source>
        <translation><numerusform>, %n flaky.</numerusform><numerusform>, %n flaky.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation><numerusform>%n day</numerusform><numerusform>%n days</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>the newest %n</source>
        <translation><numerusform>the newest %n</numerusform><numerusform>the newest %n</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) from teammates arrived from the team workspace.</source>
        <translation><numerusform>%n run from teammates arrived from the team workspace.</numerusform><numerusform>%n runs from teammates arrived from the team workspace.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>The team workspace changed %n source(s) and %1 here.</source>
        <translation><numerusform>The team workspace changed %n source and %1 here.</numerusform><numerusform>The team workspace changed %n sources and %1 here.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n mock(s)</source>
        <translation><numerusform>%n mock</numerusform><numerusform>%n mocks</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) published to the team workspace.</source>
        <translation><numerusform>%n run published to the team workspace.</numerusform><numerusform>%n runs published to the team workspace.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) wait for the team workspace to answer.</source>
        <translation><numerusform>%n run wait for the team workspace to answer.</numerusform><numerusform>%n runs wait for the team workspace to answer.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::UsersPane</name>
    <message numerus="yes">
        <source>Role %1, %2; %n runner(s) owned.</source>
        <translation><numerusform>Role %1, %2; %n runner owned.</numerusform><numerusform>Role %1, %2; %n runners owned.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made.</source>
        <translation><numerusform>%n change made.</numerusform><numerusform>%n changes made.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n refused: %1</source>
        <translation><numerusform>%n refused: %1</numerusform><numerusform>%n refused: %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Changing %n grant(s)…</source>
        <translation><numerusform>Changing %n grant…</numerusform><numerusform>Changing %n grants…</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Changing %n person(s)…</source>
        <translation><numerusform>Changing %n person…</numerusform><numerusform>Changing %n persons…</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::VulnGate</name>
    <message numerus="yes">
        <source> and %n more</source>
        <translation><numerusform> and %n more</numerusform><numerusform> and %n more</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkspaceService</name>
    <message numerus="yes">
        <source>Review %1 signed off: %n item(s) decided, %2 revoked.</source>
        <translation><numerusform>Review %1 signed off: %n item decided, %2 revoked.</numerusform><numerusform>Review %1 signed off: %n items decided, %2 revoked.</numerusform></translation>
    </message>
</context>
<context>
    <name>opsdeck::WorkspaceStatus</name>
    <message numerus="yes">
        <source> %n audit event(s) wait to be sent.</source>
        <translation><numerusform> %n audit event wait to be sent.</numerusform><numerusform> %n audit events wait to be sent.</numerusform></translation>
    </message>
</context>
</TS>