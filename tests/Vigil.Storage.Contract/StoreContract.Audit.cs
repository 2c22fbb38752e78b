using Vigil.Moderation.Audit;
using Vigil.Storage.Audit;

namespace Vigil.Storage.Contract;

public abstract partial class StoreContract
{
    [Fact]
    public async Task Audit_entries_chain_by_hash_and_verify()
    {
        var first = await WriteAsync(unit => unit.Audit.AppendAsync(new AuditRecord("user:ann", "signin.succeeded", "user:ann"), Clock.GetUtcNow(), None));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await WriteAsync(unit => unit.Audit.AppendAsync(new AuditRecord("user:ann", "case.decided", "case:1", """{"reason":"x"}"""), Clock.GetUtcNow(), None));
        Assert.Equal((AuditChain.Genesis, first.Hash, 1L, 2L), (first.PrevHash, second.PrevHash, first.Seq, second.Seq));
        Assert.Equal([second, first], await Store.Audit.ListAsync(10, null, None));
        Assert.Equal([first], await Store.Audit.ListAsync(10, second.Seq, None));
        Assert.Equal([first, second], await Store.Audit.ReadAllAsync(None).ToListAsync());

        var verification = await new AuditTrail(Store, Clock).VerifyAsync(None);
        Assert.Equal((true, 2L, second.Hash), (verification.Ok, verification.Entries, verification.HeadHash));
    }

    [Fact]
    public async Task Concurrent_appends_still_form_one_chain()
    {
        var trail = new AuditTrail(Store, Clock);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => trail.RecordAsync(new AuditRecord("test", "test", $"thing:{i}"), None))));
        var verification = await trail.VerifyAsync(None);
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(40, verification.Entries);
    }

    [Fact]
    public async Task An_append_that_is_not_committed_is_not_in_the_chain()
    {
        await using (var unit = await Store.BeginAsync(None))
        {
            await unit.Audit.AppendAsync(new AuditRecord("test", "rolled.back", "thing:1"), Clock.GetUtcNow(), None);
        }

        var kept = await WriteAsync(unit => unit.Audit.AppendAsync(new AuditRecord("test", "kept", "thing:2"), Clock.GetUtcNow(), None));
        Assert.Equal(1, kept.Seq);
        Assert.True((await new AuditTrail(Store, Clock).VerifyAsync(None)).Ok);
    }

    [Fact]
    public async Task The_database_refuses_to_change_or_delete_audit_entries()
    {
        await WriteAsync(unit => unit.Audit.AppendAsync(new AuditRecord("cli", "user.created", "user:ann"), Clock.GetUtcNow(), None));
        var update = await Assert.ThrowsAnyAsync<Exception>(() => ExecuteRawAsync("UPDATE audit_log SET actor = 'someone else';"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => ExecuteRawAsync("DELETE FROM audit_log;"));
        Assert.Equal("cli", Assert.Single(await Store.Audit.ListAsync(10, null, None)).Actor);
    }
}
