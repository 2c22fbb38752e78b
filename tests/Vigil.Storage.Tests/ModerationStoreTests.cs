using Microsoft.Data.Sqlite;
using Vigil.Core;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;
using Vigil.Storage.Store;
using Vigil.Storage.Users;

namespace Vigil.Storage.Tests;

public sealed class ModerationStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_submission_stores_content_result_image_and_opens_a_case()
    {
        await using var temp = await TempStore.CreateAsync();
        var image = new ImageUpload("image/png", new string('a', 64), new byte[] { 1, 2, 3 });
        var stored = await temp.Store.Content.AddAsync(TempStore.Content("new release", image: image), new NewCase("default", 70, false), None);

        Assert.NotNull(stored.CaseId);
        var item = await temp.Store.Content.GetAsync(stored.Content.Id, None);
        Assert.NotNull(item);
        Assert.Equal("new release", item.Text);
        Assert.Equal("""{"channel":"general"}""", item.MetadataJson);
        Assert.Equal(VerdictKind.Review, item.Result.Verdict.Kind);
        Assert.Equal(["terrorism.propaganda"], item.Result.Verdict.Labels);
        Assert.Equal(3, item.Result.Verdict.Evidence[0].End);
        Assert.Equal("policy-1", item.Result.Verdict.PolicyVersion);
        Assert.Equal(ModerationAction.Review, item.Result.Action);
        Assert.Equal(3, item.Image!.Length);

        var bytes = await temp.Store.Content.GetImageAsync(stored.Content.Id, None);
        Assert.Equal(new byte[] { 1, 2, 3 }, bytes!.Value.Bytes);

        var reviewCase = await temp.Store.Cases.GetAsync(stored.CaseId.Value, None);
        Assert.Equal((CaseState.Open, 70, "policy-1"), (reviewCase!.State, reviewCase.Priority, reviewCase.PolicyVersion));
        Assert.Equal(reviewCase.Id, (await temp.Store.Cases.GetByContentAsync(stored.Content.Id, None))!.Id);

        var clear = await temp.Store.Content.AddAsync(TempStore.Content("hello", VerdictKind.Clear), null, None);
        Assert.Null(clear.CaseId);
        Assert.Null(await temp.Store.Content.GetImageAsync(clear.Content.Id, None));
    }

    [Fact]
    public async Task Cases_list_by_priority_and_filter_by_queue_label_language_and_age()
    {
        await using var temp = await TempStore.CreateAsync();
        await temp.Store.Content.AddAsync(TempStore.Content("a"), new NewCase("default", 40, false), None);
        temp.Clock.Advance(TimeSpan.FromHours(2));
        await temp.Store.Content.AddAsync(TempStore.Content("b", labels: ["hate"]), new NewCase("default", 90, false), None);
        await temp.Store.Content.AddAsync(TempStore.Content("c"), new NewCase("escalation", 60, true), None);

        var all = await temp.Store.Cases.ListAsync(new CaseQuery(), None);
        Assert.Equal([90, 60, 40], all.Select(c => c.Priority));
        Assert.Equal([90, 40], (await temp.Store.Cases.ListAsync(new CaseQuery(Queue: "default"), None)).Select(c => c.Priority));
        Assert.Equal([90], (await temp.Store.Cases.ListAsync(new CaseQuery(Label: "hate"), None)).Select(c => c.Priority));
        Assert.Empty(await temp.Store.Cases.ListAsync(new CaseQuery(Language: "de"), None));
        var old = await temp.Store.Cases.ListAsync(new CaseQuery(OpenedBefore: temp.Clock.GetUtcNow() - TimeSpan.FromHours(1)), None);
        Assert.Equal([40], old.Select(c => c.Priority));
        var counts = await temp.Store.Cases.CountOpenByQueueAsync(None);
        Assert.Equal(2, counts["default"]);
    }

    [Fact]
    public async Task A_lease_keeps_others_out_until_it_expires()
    {
        await using var temp = await TempStore.CreateAsync();
        var stored = await temp.Store.Content.AddAsync(TempStore.Content("a"), new NewCase("default", 50, false), None);
        long id = stored.CaseId!.Value;
        var lease = TimeSpan.FromMinutes(10);

        Assert.Equal(ClaimStatus.Claimed, (await temp.Store.Cases.ClaimAsync(id, "user:ann", lease, None)).Status);
        var other = await temp.Store.Cases.ClaimAsync(id, "user:bob", lease, None);
        Assert.Equal(ClaimStatus.HeldByOther, other.Status);
        Assert.Equal("user:ann", other.Case!.ClaimedBy);
        Assert.Equal(ClaimStatus.Claimed, (await temp.Store.Cases.ClaimAsync(id, "user:ann", lease, None)).Status); // renew

        var notHeld = await temp.Store.Cases.DecideAsync(Decide(id, "user:bob"), None);
        Assert.Equal(DecideStatus.NotClaimed, notHeld.Status);

        temp.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Null((await temp.Store.Cases.GetAsync(id, None))!.ClaimedBy);
        Assert.Equal(ClaimStatus.Claimed, (await temp.Store.Cases.ClaimAsync(id, "user:bob", lease, None)).Status);
        Assert.Equal(DecideStatus.NotClaimed, (await temp.Store.Cases.DecideAsync(Decide(id, "user:ann"), None)).Status);
        Assert.True(await temp.Store.Cases.ReleaseAsync(id, "user:bob", None));
        Assert.Equal(ClaimStatus.NotFound, (await temp.Store.Cases.ClaimAsync(999, "user:bob", lease, None)).Status);
    }

    [Fact]
    public async Task Two_reviewers_claiming_at_once_never_both_get_the_case()
    {
        await using var temp = await TempStore.CreateAsync();
        var stored = await temp.Store.Content.AddAsync(TempStore.Content("a"), new NewCase("default", 50, false), None);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            temp.Store.Cases.ClaimAsync(stored.CaseId!.Value, $"user:r{i}", TimeSpan.FromMinutes(5), None)));
        Assert.Single(claims, c => c.Status == ClaimStatus.Claimed);
    }

    [Fact]
    public async Task A_decision_closes_the_case_queues_webhooks_and_is_audited_in_one_go()
    {
        await using var temp = await TempStore.CreateAsync();
        var hook = await temp.Store.Webhooks.AddAsync(new Uri("http://127.0.0.1:9/hook"), "s3cret", ["decision.created"], "user:admin", None);
        var stored = await temp.Store.Content.AddAsync(TempStore.Content("a"), new NewCase("default", 50, false), None);
        long id = stored.CaseId!.Value;
        await temp.Store.Cases.ClaimAsync(id, "user:ann", TimeSpan.FromMinutes(5), None);

        var result = await temp.Store.Cases.DecideAsync(Decide(id, "user:ann", ReviewDecision.Remove), None);
        Assert.Equal(DecideStatus.Decided, result.Status);
        Assert.Equal(CaseState.Closed, result.Case!.State);
        Assert.Equal("policy-2", result.Decision!.PolicyVersion);
        Assert.Equal(DecideStatus.Closed, (await temp.Store.Cases.DecideAsync(Decide(id, "user:ann"), None)).Status);

        var decisions = await temp.Store.Cases.ListDecisionsAsync(id, None);
        Assert.Equal(ReviewDecision.Remove, Assert.Single(decisions).Value);
        Assert.Equal("looked at it", decisions[0].Reason);

        var due = await temp.Store.Webhooks.DueAsync(temp.Clock.GetUtcNow(), 10, None);
        var delivery = Assert.Single(due);
        Assert.Equal(hook.Id, delivery.Webhook.Id);
        Assert.Equal($"{{\"case\":{id},\"decision\":\"remove\"}}", delivery.Message.Payload);

        var audit = await temp.Store.Audit.ListAsync(10, null, None);
        Assert.Equal(["case.decided", "case.opened", "webhook.created"], audit.Select(a => a.Action));
        Assert.True((await temp.Store.Audit.VerifyAsync(None)).Ok);
    }

    [Fact]
    public async Task Escalation_moves_the_case_to_the_escalation_queue_and_keeps_it_open()
    {
        await using var temp = await TempStore.CreateAsync();
        var stored = await temp.Store.Content.AddAsync(TempStore.Content("a"), new NewCase("default", 30, false), None);
        long id = stored.CaseId!.Value;
        await temp.Store.Cases.ClaimAsync(id, "user:ann", TimeSpan.FromMinutes(5), None);
        var result = await temp.Store.Cases.DecideAsync(Decide(id, "user:ann", ReviewDecision.Escalate), None);
        Assert.Equal((CaseState.Open, "escalation", 80, (string?)null), (result.Case!.State, result.Case.Queue, result.Case.Priority, result.Case.ClaimedBy));
    }

    [Fact]
    public async Task Webhook_outbox_retries_and_gives_up()
    {
        await using var temp = await TempStore.CreateAsync();
        var hook = await temp.Store.Webhooks.AddAsync(new Uri("http://127.0.0.1:9/hook"), "s", ["decision.created"], "cli", None);
        var stored = await temp.Store.Content.AddAsync(TempStore.Content("a"), new NewCase("default", 30, false), None);
        await temp.Store.Cases.ClaimAsync(stored.CaseId!.Value, "user:ann", TimeSpan.FromMinutes(5), None);
        await temp.Store.Cases.DecideAsync(Decide(stored.CaseId.Value, "user:ann"), None);

        var message = Assert.Single(await temp.Store.Webhooks.DueAsync(temp.Clock.GetUtcNow(), 10, None)).Message;
        await temp.Store.Webhooks.MarkFailedAsync(message.Id, 500, "server error", temp.Clock.GetUtcNow().AddSeconds(30), None);
        Assert.Empty(await temp.Store.Webhooks.DueAsync(temp.Clock.GetUtcNow(), 10, None));
        Assert.Equal(temp.Clock.GetUtcNow().AddSeconds(30), await temp.Store.Webhooks.NextDueAsync(None));
        temp.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(await temp.Store.Webhooks.DueAsync(temp.Clock.GetUtcNow(), 10, None));
        await temp.Store.Webhooks.MarkDeliveredAsync(message.Id, 204, None);
        Assert.Null(await temp.Store.Webhooks.NextDueAsync(None));
        var delivered = Assert.Single(await temp.Store.Webhooks.ListDeliveriesAsync(hook.Id, 10, None));
        Assert.Equal((2, 204), (delivered.Attempts, delivered.LastStatus));

        Assert.True(await temp.Store.Webhooks.DeleteAsync(hook.Id, "cli", None));
        Assert.Empty(await temp.Store.Webhooks.ListAsync(None));
    }

    [Fact]
    public async Task Users_keys_and_exposure()
    {
        await using var temp = await TempStore.CreateAsync();
        string hash = PasswordHasher.Hash("correct horse");
        Assert.True(await temp.Store.Users.AddAsync(new User("ann", "Ann", Role.Moderator, default, false), hash, "cli", None));
        Assert.False(await temp.Store.Users.AddAsync(new User("ANN", null, Role.Admin, default, false), hash, "cli", None));
        var credentials = await temp.Store.Users.GetCredentialsAsync("Ann", None);
        Assert.Equal(Role.Moderator, credentials!.Value.User.Role);
        Assert.True(PasswordHasher.Verify("correct horse", credentials.Value.PasswordHash));
        Assert.False(PasswordHasher.Verify("wrong", credentials.Value.PasswordHash));
        Assert.False(PasswordHasher.Verify("correct horse", null));
        Assert.StartsWith("pbkdf2-sha256$210000$", hash, StringComparison.Ordinal);
        Assert.Equal(1, await temp.Store.Users.CountAsync(None));

        var (key, secret) = await temp.Store.ApiKeys.CreateAsync("platform", ApiScopes.Ingest | ApiScopes.Review, "cli", None);
        Assert.StartsWith($"vgl_{key.Id}_", secret, StringComparison.Ordinal);
        Assert.Equal(ApiScopes.Ingest | ApiScopes.Review, (await temp.Store.ApiKeys.FindAsync(secret, None))!.Scopes);
        Assert.Null(await temp.Store.ApiKeys.FindAsync(secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A'), None));
        Assert.Null(await temp.Store.ApiKeys.FindAsync("nonsense", None));
        Assert.True(await temp.Store.ApiKeys.RevokeAsync(key.Id, "cli", None));
        Assert.Null(await temp.Store.ApiKeys.FindAsync(secret, None));

        var day = new DateOnly(2026, 3, 1);
        Assert.Equal(1, await temp.Store.Users.RecordExposureAsync("ann", day, 1, None));
        Assert.Equal(1, await temp.Store.Users.RecordExposureAsync("ann", day, 1, None));
        Assert.Equal(2, await temp.Store.Users.RecordExposureAsync("ann", day, 2, None));
        Assert.Equal(0, await temp.Store.Users.CountExposureAsync("ann", day.AddDays(1), None));

        await using var connection = new SqliteConnection($"Data Source={temp.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key_hash FROM api_keys;";
        Assert.DoesNotContain(secret, (string)(await command.ExecuteScalarAsync())!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_changes_are_recorded_once()
    {
        await using var temp = await TempStore.CreateAsync();
        Assert.Equal((true, null), await temp.Store.Policies.RecordAsync("v1", "{\"version\":\"v1\"}", "system", None));
        var (changed, previous) = await temp.Store.Policies.RecordAsync("v1", "{\"version\":\"v1\"}", "system", None);
        Assert.False(changed);
        Assert.Equal("v1", previous!.Version);
        Assert.True((await temp.Store.Policies.RecordAsync("v2", "{\"version\":\"v2\"}", "system", None)).Changed);
        Assert.Equal("v2", (await temp.Store.Policies.CurrentAsync(None))!.Version);
        Assert.Equal(2, (await temp.Store.Audit.ListAsync(10, null, None)).Count(a => a.Action == "policy.changed"));
    }

    [Fact]
    public async Task Writes_are_there_after_reopening()
    {
        string path;
        long contentId;
        await using (var temp = await TempStore.CreateAsync())
        {
            path = temp.DatabasePath;
            contentId = (await temp.Store.Content.AddAsync(TempStore.Content("kept"), new NewCase("default", 10, false), None)).Content.Id;
            await using var reopened = await SqliteVigilStore.OpenAsync(path);
            Assert.Equal("kept", (await reopened.Content.GetAsync(contentId, None))!.Text);
            Assert.True((await reopened.Audit.VerifyAsync(None)).Ok);
        }
    }

    private static NewDecision Decide(long id, string actor, ReviewDecision value = ReviewDecision.KeepUp) =>
        new(id, value, "looked at it", actor, "policy-2", (d, c) => $"{{\"case\":{c.Id},\"decision\":\"{d.Value.ToWire()}\"}}");
}
