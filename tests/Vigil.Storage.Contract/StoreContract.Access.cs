using Vigil.Storage.Policies;
using Vigil.Storage.Users;

namespace Vigil.Storage.Contract;

public abstract partial class StoreContract
{
    [Fact]
    public async Task Users_are_unique_regardless_of_case_and_disabled_ones_cannot_sign_in()
    {
        var ann = new User("ann", "Ann", Role.Moderator, Clock.GetUtcNow(), false);
        Assert.True(await WriteAsync(unit => unit.Users.InsertAsync(ann, "hash-1", None)));
        Assert.False(await WriteAsync(unit => unit.Users.InsertAsync(new User("ANN", null, Role.Admin, Clock.GetUtcNow(), false), "hash-2", None)));
        Assert.Equal(ann, await Store.Users.GetAsync("Ann", None));
        var credentials = await Store.Users.GetCredentialsAsync("aNN", None);
        Assert.Equal((ann, "hash-1"), (credentials!.Value.User, credentials.Value.PasswordHash));
        Assert.Null(await Store.Users.GetCredentialsAsync("bob", None));
        Assert.True(await WriteAsync(unit => unit.Users.InsertAsync(new User("bob", null, Role.Analyst, Clock.GetUtcNow(), false), "hash-3", None)));
        Assert.Equal(["ann", "bob"], (await Store.Users.ListAsync(None)).Select(u => u.Username));
        Assert.Equal(2, await Store.Users.CountAsync(None));

        await ExecuteRawAsync("UPDATE users SET disabled_at = 1 WHERE username = 'bob';");
        Assert.True((await Store.Users.GetAsync("bob", None))!.Disabled);
        Assert.Null(await Store.Users.GetCredentialsAsync("bob", None));
    }

    [Fact]
    public async Task Exposure_counts_each_case_once_a_day()
    {
        var day = new DateOnly(2026, 3, 1);
        Assert.Equal(1, await WriteAsync(unit => unit.Users.RecordExposureAsync("ann", day, 1, Clock.GetUtcNow(), None)));
        Assert.Equal(1, await WriteAsync(unit => unit.Users.RecordExposureAsync("ann", day, 1, Clock.GetUtcNow(), None)));
        Assert.Equal(2, await WriteAsync(unit => unit.Users.RecordExposureAsync("ann", day, 2, Clock.GetUtcNow(), None)));
        Assert.Equal(2, await Store.Users.CountExposureAsync("ann", day, None));
        Assert.Equal(0, await Store.Users.CountExposureAsync("ann", day.AddDays(1), None));
        Assert.Equal(0, await Store.Users.CountExposureAsync("bob", day, None));
    }

    [Fact]
    public async Task Keys_are_found_live_by_id_until_revoked()
    {
        var key = new ApiKey("0123456789ab", "platform", ApiScopes.Ingest | ApiScopes.Review, "cli:test", Clock.GetUtcNow(), null);
        await WriteAsync(async unit =>
        {
            await unit.ApiKeys.InsertAsync(key, "secret-hash", None);
            return 0;
        });

        var live = await Store.ApiKeys.GetLiveAsync(key.Id, None);
        Assert.Equal((key, "secret-hash"), (live!.Value.Key, live.Value.SecretHash));
        Assert.Null(await Store.ApiKeys.GetLiveAsync("ffffffffffff", None));
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await WriteAsync(unit => unit.ApiKeys.RevokeAsync(key.Id, Clock.GetUtcNow(), None)));
        Assert.False(await WriteAsync(unit => unit.ApiKeys.RevokeAsync(key.Id, Clock.GetUtcNow(), None)));
        Assert.Null(await Store.ApiKeys.GetLiveAsync(key.Id, None));
        Assert.Equal(Clock.GetUtcNow(), Assert.Single(await Store.ApiKeys.ListAsync(None)).RevokedAt);
    }

    [Fact]
    public async Task Webhooks_and_their_outbox_retry_deliver_and_abandon()
    {
        var hook = await WriteAsync(unit => unit.Webhooks.InsertAsync(new Uri("http://127.0.0.1:9/hook"), "s3cret-s3cret-s3", ["decision.created"], "user:admin", Clock.GetUtcNow(), None));
        var read = await Store.Webhooks.GetAsync(hook.Id, None);
        Assert.Equal(hook, read! with { Events = hook.Events });
        Assert.Equal(["decision.created"], read.Events);
        Assert.Equal([hook.Id], (await Store.Webhooks.ListAsync(None)).Select(h => h.Id));
        long message = await WriteAsync(unit => unit.Outbox.EnqueueAsync(hook.Id, "decision.created", """{"n":1}""", Clock.GetUtcNow(), None));

        var due = Assert.Single(await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None));
        Assert.Equal((message, hook.Id, """{"n":1}""", "decision.created"), (due.Message.Id, due.Webhook.Id, due.Message.Payload, due.Message.Event));
        Assert.Equal(hook.Secret, due.Webhook.Secret);
        await Store.Outbox.MarkFailedAsync(message, 500, "server error", Clock.GetUtcNow().AddSeconds(30), None);
        Assert.Empty(await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None));
        Assert.Equal(Clock.GetUtcNow().AddSeconds(30), await Store.Outbox.NextDueAsync(None));
        Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None));
        await Store.Outbox.MarkDeliveredAsync(message, 204, Clock.GetUtcNow(), None);
        Assert.Null(await Store.Outbox.NextDueAsync(None));
        var delivered = Assert.Single(await Store.Webhooks.ListDeliveriesAsync(hook.Id, 10, None));
        Assert.Equal((2, 204, (string?)null, Clock.GetUtcNow()), (delivered.Attempts, delivered.LastStatus, delivered.LastError, delivered.DeliveredAt));

        long given = await WriteAsync(unit => unit.Outbox.EnqueueAsync(hook.Id, "decision.created", "{}", Clock.GetUtcNow(), None));
        await Store.Outbox.MarkFailedAsync(given, null, "connection refused", null, None);
        Assert.True(Assert.Single(await Store.Webhooks.ListDeliveriesAsync(hook.Id, 1, None)).Dead);

        await WriteAsync(unit => unit.Outbox.EnqueueAsync(hook.Id, "decision.created", "{}", Clock.GetUtcNow(), None));
        Assert.True(await WriteAsync(unit => unit.Webhooks.DeleteAsync(hook.Id, Clock.GetUtcNow(), None)));
        Assert.Empty(await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None)); // a deleted webhook's deliveries are not sent
        Assert.Equal(1, await WriteAsync(unit => unit.Outbox.AbandonPendingAsync(hook.Id, "webhook deleted", None)));
        Assert.Equal("webhook deleted", (await Store.Webhooks.ListDeliveriesAsync(hook.Id, 1, None))[0].LastError);
        Assert.False(await WriteAsync(unit => unit.Webhooks.DeleteAsync(hook.Id, Clock.GetUtcNow(), None)));
        Assert.Empty(await Store.Webhooks.ListAsync(None));
        Assert.Null(await Store.Webhooks.GetAsync(hook.Id, None));
    }

    [Fact]
    public async Task Dispatchers_lease_deliveries_so_that_none_is_sent_twice_at_once()
    {
        var hook = await WriteAsync(unit => unit.Webhooks.InsertAsync(new Uri("http://127.0.0.1:9/hook"), "s3cret-s3cret-s3", ["decision.created"], "user:admin", Clock.GetUtcNow(), None));
        for (int i = 0; i < 5; i++)
        {
            await WriteAsync(unit => unit.Outbox.EnqueueAsync(hook.Id, "decision.created", $$"""{"n":{{i}}}""", Clock.GetUtcNow(), None));
        }

        var lease = TimeSpan.FromMinutes(2);
        var leased = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => Store.Outbox.LeaseDueAsync(Clock.GetUtcNow(), 2, $"dispatcher-{i}", lease, None))));
        var ids = leased.SelectMany(l => l.Select(d => d.Message.Id)).ToList();
        Assert.Equal(5, ids.Count);
        Assert.Equal(5, ids.Distinct().Count()); // each delivery went to one dispatcher
        Assert.Empty(await Store.Outbox.LeaseDueAsync(Clock.GetUtcNow(), 10, "dispatcher-9", lease, None));
        Assert.Equal(5, (await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None)).Count); // a look sees leased ones too
        Assert.Equal(Clock.GetUtcNow() + lease, await Store.Outbox.NextDueAsync(None)); // for the others, when the leases end

        // Two are sent; the dispatcher holding the others dies: once its leases end, another takes them over.
        await Store.Outbox.MarkDeliveredAsync(ids[0], 200, Clock.GetUtcNow(), None);
        await Store.Outbox.MarkFailedAsync(ids[1], 500, "server error", Clock.GetUtcNow(), None);
        Assert.Equal([ids[1]], (await Store.Outbox.LeaseDueAsync(Clock.GetUtcNow(), 10, "dispatcher-9", lease, None)).Select(d => d.Message.Id));
        Clock.Advance(lease + TimeSpan.FromSeconds(1));
        var takenOver = await Store.Outbox.LeaseDueAsync(Clock.GetUtcNow(), 10, "dispatcher-8", lease, None);
        Assert.Equal(ids.Skip(1).Order(), takenOver.Select(d => d.Message.Id).Order()); // dispatcher-9's lease ended too
    }

    [Fact]
    public async Task The_last_policy_recorded_is_current()
    {
        Assert.Null(await Store.Policies.CurrentAsync(None));
        await WriteAsync(async unit =>
        {
            await unit.Policies.InsertAsync(new PolicyRecord("v1", new string('1', 64), Clock.GetUtcNow()), "{}", None);
            return 0;
        });
        Clock.Advance(TimeSpan.FromDays(1));
        var v2 = new PolicyRecord("v2", new string('2', 64), Clock.GetUtcNow());
        await WriteAsync(async unit =>
        {
            await unit.Policies.InsertAsync(v2, "{}", None);
            return 0;
        });
        Assert.Equal(v2, await Store.Policies.CurrentAsync(None));
    }
}
