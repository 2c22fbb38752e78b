using System.Text.Json;
using Vigil.Moderation.Access;
using Vigil.Moderation.Audit;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Content;
using Vigil.Moderation.Pipeline;
using Vigil.Moderation.Policies;
using Vigil.Moderation.Webhooks;
using Vigil.Storage.Cases;
using Vigil.Storage.Users;

namespace Vigil.Moderation.Tests;

/// <summary>The use cases on a real store: submitting, the case state machine, keys, webhooks, the policy history.</summary>
public sealed class CaseWorkflowTests : StoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private static ContentPipeline Pipeline() => new(VigilSignalTypes.Default, [], [new Vigil.Text.TextDetector(Fixtures.Analyzer)], FixedBankMatcher.None, Fixtures.Policy);

    private async Task<Submitted> SubmitAsync(string text = "new release from amaq, share it", string? contentId = "post-1") =>
        await new SubmitContent(Pipeline(), Store, Clock).ExecuteAsync(new Submission(contentId, "author-1", "https://example.test/1", null, text, [], "key:test"), None);

    [Fact]
    public async Task Submitting_stores_the_item_and_its_result_and_opens_an_audited_case()
    {
        var submitted = await SubmitAsync();
        Assert.NotNull(submitted.Case);
        Assert.Equal((CaseState.Open, "default", submitted.Content.Id), (submitted.Case.State, submitted.Case.Queue, submitted.Case.ContentId));
        Assert.True(submitted.Case.Priority > 0);
        var item = (await Store.Content.GetAsync(submitted.Content.Id, None))!;
        Assert.Equal(submitted.Result!.Verdict.Labels, item.Result!.Verdict.Labels);
        var opened = Assert.Single(await Store.Audit.ListAsync(10, null, None));
        Assert.Equal(("key:test", "case.opened", $"case:{submitted.Case.Id}"), (opened.Actor, opened.Action, opened.Subject));

        var clear = await SubmitAsync("the gardening club meets on tuesday", "post-2");
        Assert.Null(clear.Case);
        Assert.Single(await Store.Audit.ListAsync(10, null, None));
    }

    [Fact]
    public async Task A_lease_keeps_others_out_until_it_expires()
    {
        long id = (await SubmitAsync()).Case!.Id;
        var workflow = new CaseWorkflow(Store, Clock);

        Assert.Equal(ClaimStatus.Claimed, (await workflow.ClaimAsync(id, "user:ann", Lease, None)).Status);
        var other = await workflow.ClaimAsync(id, "user:bob", Lease, None);
        Assert.Equal((ClaimStatus.HeldByOther, "user:ann"), (other.Status, other.Case!.ClaimedBy));
        Assert.Equal(ClaimStatus.Claimed, (await workflow.ClaimAsync(id, "user:ann", Lease, None)).Status); // renew
        Assert.Equal(DecideStatus.NotClaimed, (await workflow.DecideAsync(Decide(id, "user:bob"), None)).Status);
        Assert.False(await workflow.ReleaseAsync(id, "user:bob", None));

        Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Null((await Store.Cases.GetAsync(id, None))!.ClaimedBy);
        Assert.Equal(ClaimStatus.Claimed, (await workflow.ClaimAsync(id, "user:bob", Lease, None)).Status);
        Assert.Equal(DecideStatus.NotClaimed, (await workflow.DecideAsync(Decide(id, "user:ann"), None)).Status);
        Assert.True(await workflow.ReleaseAsync(id, "user:bob", None));
        Assert.Null((await Store.Cases.GetAsync(id, None))!.ClaimedBy);
        Assert.Equal(ClaimStatus.NotFound, (await workflow.ClaimAsync(999, "user:bob", Lease, None)).Status);
        Assert.Equal(DecideStatus.NotFound, (await workflow.DecideAsync(Decide(999, "user:bob"), None)).Status);
    }

    [Fact]
    public async Task A_decision_closes_the_case_queues_its_webhook_and_is_audited_in_one_go()
    {
        var (hook, _) = await new WebhookSubscriptions(Store, Clock, WebhookTargetPolicy.Parse("127.0.0.0/8")).RegisterAsync("http://127.0.0.1:9/hook", null, "s3cret-s3cret-s3", "user:admin", None);
        var submitted = await SubmitAsync();
        long id = submitted.Case!.Id;
        var workflow = new CaseWorkflow(Store, Clock);
        await workflow.ClaimAsync(id, "user:ann", Lease, None);

        var result = await workflow.DecideAsync(Decide(id, "user:ann", ReviewDecision.Remove), None);
        Assert.Equal((DecideStatus.Decided, CaseState.Closed, "policy-2"), (result.Status, result.Case!.State, result.Decision!.PolicyVersion));
        Assert.Null(result.Case.ClaimedBy);
        Assert.Equal(Clock.GetUtcNow(), result.Case.ClosedAt);
        Assert.Equal(DecideStatus.Closed, (await workflow.DecideAsync(Decide(id, "user:ann"), None)).Status);
        Assert.Equal(ClaimStatus.Closed, (await workflow.ClaimAsync(id, "user:ann", Lease, None)).Status);

        var decision = Assert.Single(await Store.Cases.ListDecisionsAsync(id, None));
        Assert.Equal((ReviewDecision.Remove, "looked at it"), (decision.Value, decision.Reason));

        var delivery = Assert.Single(await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None));
        Assert.Equal((hook.Id, WebhookEvents.DecisionCreated), (delivery.Webhook.Id, delivery.Message.Event));
        var body = JsonDocument.Parse(delivery.Message.Payload).RootElement;
        Assert.Equal("decision.created", body.GetProperty("event").GetString());
        Assert.Equal(("remove", "looked at it"), (body.GetProperty("decision").GetProperty("decision").GetString(), body.GetProperty("decision").GetProperty("reason").GetString()));
        Assert.Equal(("closed", id), (body.GetProperty("case").GetProperty("state").GetString(), body.GetProperty("case").GetProperty("id").GetInt64()));
        Assert.Equal(("post-1", "author-1"), (body.GetProperty("content").GetProperty("content_id").GetString(), body.GetProperty("content").GetProperty("author_id").GetString()));

        var audit = await Store.Audit.ListAsync(10, null, None);
        Assert.Equal(["preservation.started", "case.decided", "case.opened", "webhook.created"], audit.Select(a => a.Action));
        var details = JsonDocument.Parse(audit[1].DetailsJson).RootElement;
        Assert.Equal(("remove", "policy-2", submitted.Case.PolicyVersion), (details.GetProperty("decision").GetString(), details.GetProperty("policy_version").GetString(), details.GetProperty("case_policy_version").GetString()));
        Assert.True((await new AuditTrail(Store, Clock).VerifyAsync(None)).Ok);
    }

    [Fact]
    public async Task Escalation_moves_the_case_to_the_escalation_queue_and_keeps_it_open()
    {
        long id = (await SubmitAsync()).Case!.Id;
        var workflow = new CaseWorkflow(Store, Clock);
        await workflow.ClaimAsync(id, "user:ann", Lease, None);
        var result = await workflow.DecideAsync(Decide(id, "user:ann", ReviewDecision.Escalate), None);
        Assert.Equal((CaseState.Open, "escalation", (string?)null), (result.Case!.State, result.Case.Queue, result.Case.ClaimedBy));
        Assert.True(result.Case.Priority >= CasePriority.Escalated);

        await workflow.ClaimAsync(id, "user:senior", Lease, None);
        var final = await workflow.DecideAsync(Decide(id, "user:senior", ReviewDecision.ReportThreatToLife), None);
        Assert.Equal((CaseState.Closed, true), (final.Case!.State, final.Case.ThreatToLife));
        Assert.Equal(2, (await Store.Cases.ListDecisionsAsync(id, None)).Count);
    }

    [Fact]
    public async Task Keys_are_stored_hashed_found_by_their_secret_and_revoked()
    {
        var keys = new ApiKeys(Store, Clock);
        var (key, secret) = await keys.CreateAsync("platform", ApiScopes.Ingest | ApiScopes.Review, "cli:test", None);
        Assert.StartsWith($"vgl_{key.Id}_", secret, StringComparison.Ordinal);
        Assert.Equal(ApiScopes.Ingest | ApiScopes.Review, (await keys.FindAsync(secret, None))!.Scopes);
        Assert.Null(await keys.FindAsync(secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A'), None));
        Assert.Null(await keys.FindAsync("nonsense", None));
        Assert.DoesNotContain(secret, (await Store.ApiKeys.GetLiveAsync(key.Id, None))!.Value.SecretHash, StringComparison.Ordinal);
        Assert.True(await keys.RevokeAsync(key.Id, "cli:test", None));
        Assert.False(await keys.RevokeAsync(key.Id, "cli:test", None));
        Assert.Null(await keys.FindAsync(secret, None));
        Assert.Equal(["key.revoked", "key.created"], (await Store.Audit.ListAsync(10, null, None)).Select(a => a.Action));
    }

    [Fact]
    public async Task Users_sign_in_with_their_password_only()
    {
        var users = new UserAccounts(Store, Clock);
        Assert.True(await users.AddAsync("ann", "Ann", Role.Moderator, "correct horse battery", "cli:test", None));
        Assert.False(await users.AddAsync("ANN", null, Role.Admin, "another password", "cli:test", None));
        Assert.Equal(Role.Moderator, (await users.SignInAsync("Ann", "correct horse battery", None))!.Role);
        Assert.Null(await users.SignInAsync("ann", "wrong", None));
        Assert.Null(await users.SignInAsync("nobody", "correct horse battery", None));
        Assert.StartsWith("pbkdf2-sha256$210000$", (await Store.Users.GetCredentialsAsync("ann", None))!.Value.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(1, await users.RecordExposureAsync("ann", 7, None));
        Assert.Equal(1, await users.RecordExposureAsync("ann", 7, None));
        Assert.Equal("user.created", Assert.Single(await Store.Audit.ListAsync(10, null, None)).Action);
    }

    [Fact]
    public async Task Webhooks_refuse_what_they_cannot_send_to_and_drop_pending_deliveries_when_deleted()
    {
        var webhooks = new WebhookSubscriptions(Store, Clock, WebhookTargetPolicy.Parse("127.0.0.0/8"));
        await Assert.ThrowsAsync<WebhookRequestException>(() => webhooks.RegisterAsync("ftp://example.test/", null, null, "a", None));
        await Assert.ThrowsAsync<WebhookRequestException>(() => webhooks.RegisterAsync("https://user:pw@example.test/", null, null, "a", None));
        await Assert.ThrowsAsync<WebhookRequestException>(() => webhooks.RegisterAsync("https://example.test/", ["nope"], null, "a", None));
        await Assert.ThrowsAsync<WebhookRequestException>(() => webhooks.RegisterAsync("https://example.test/", null, "short", "a", None));
        var (hook, secret) = await webhooks.RegisterAsync("https://example.test/hook", null, null, "user:admin", None);
        Assert.Equal(64, secret.Length);

        long id = (await SubmitAsync()).Case!.Id;
        var workflow = new CaseWorkflow(Store, Clock);
        await workflow.ClaimAsync(id, "user:ann", Lease, None);
        await workflow.DecideAsync(Decide(id, "user:ann"), None);
        Assert.Single(await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None));
        Assert.True(await webhooks.DeleteAsync(hook.Id, "user:admin", None));
        Assert.False(await webhooks.DeleteAsync(hook.Id, "user:admin", None));
        Assert.True(Assert.Single(await Store.Webhooks.ListDeliveriesAsync(hook.Id, 10, None)).Dead);
    }

    [Fact]
    public async Task Policy_changes_are_recorded_once()
    {
        var history = new PolicyHistory(Store, Clock);
        Assert.Equal((true, null), await history.RecordAsync("v1", "{\"version\":\"v1\"}", "system", None));
        var (changed, previous) = await history.RecordAsync("v1", "{\"version\":\"v1\"}", "system", None);
        Assert.False(changed);
        Assert.Equal("v1", previous!.Version);
        Assert.True((await history.RecordAsync("v2", "{\"version\":\"v2\"}", "system", None)).Changed);
        Assert.Equal("v2", (await Store.Policies.CurrentAsync(None))!.Version);
        Assert.Equal(2, (await Store.Audit.ListAsync(10, null, None)).Count(a => a.Action == "policy.changed"));
    }

    private static DecideCase Decide(long id, string actor, ReviewDecision value = ReviewDecision.KeepUp) => new(id, value, "looked at it", actor, "policy-2");
}
