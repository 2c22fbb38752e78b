using System.Text.Json;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Users;

namespace Vigil.Moderation.Access;

/// <summary>Reviewer accounts: creating them (audited <c>user.created</c>) and checking sign-ins.</summary>
public sealed class UserAccounts(IVigilStore store, TimeProvider time)
{
    /// <summary>Creates a user with a hashed password; false when the name is taken (regardless of case).</summary>
    public async Task<bool> AddAsync(string username, string? displayName, Role role, string password, string actor, CancellationToken cancellationToken)
    {
        string hash = PasswordHasher.Hash(password);
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (!await unit.Users.InsertAsync(new User(username, displayName, role, now, false), hash, cancellationToken))
        {
            return false;
        }

        string details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["role"] = role.ToWire() });
        await unit.Audit.AppendAsync(new AuditRecord(actor, "user.created", $"user:{username}", details), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The enabled user whose password this is, or null; takes the same time whether or not the user exists.</summary>
    public async Task<User?> SignInAsync(string username, string password, CancellationToken cancellationToken)
    {
        var credentials = await store.Users.GetCredentialsAsync(username, cancellationToken);
        bool ok = PasswordHasher.Verify(password, credentials?.PasswordHash);
        return ok ? credentials!.Value.User : null;
    }

    /// <summary>Notes that the reviewer saw a case today (once per case and day); returns how many they have seen today.</summary>
    public async Task<int> RecordExposureAsync(string username, long caseId, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        int seen = await unit.Users.RecordExposureAsync(username, DateOnly.FromDateTime(now.UtcDateTime), caseId, now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return seen;
    }
}
