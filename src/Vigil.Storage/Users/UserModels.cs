namespace Vigil.Storage.Users;

/// <summary>What a reviewer may do: admins everything; moderators review and decide; analysts read; compliance
/// officers read and manage removal orders, notices, complaints, preservation holds and reports (admins too).</summary>
public enum Role
{
    Analyst,
    Moderator,
    Admin,
    Compliance,
}

/// <summary>The roles' names, as stored, shown and given to <c>vigil user add --role</c>: the one place they are spelt.</summary>
public static class RoleNames
{
    public const string Admin = "admin";
    public const string Moderator = "moderator";
    public const string Analyst = "analyst";
    public const string Compliance = "compliance";

    public static IReadOnlyList<string> All { get; } = [Admin, Moderator, Analyst, Compliance];

    public static string ToWire(this Role role) => role switch
    {
        Role.Admin => Admin,
        Role.Moderator => Moderator,
        Role.Compliance => Compliance,
        _ => Analyst,
    };

    public static bool TryParse(string? wire, out Role role)
    {
        (bool ok, role) = wire switch
        {
            Admin => (true, Role.Admin),
            Moderator => (true, Role.Moderator),
            Analyst => (true, Role.Analyst),
            Compliance => (true, Role.Compliance),
            _ => (false, Role.Analyst),
        };
        return ok;
    }
}

/// <summary>A reviewer account.</summary>
public sealed record User(string Username, string? DisplayName, Role Role, DateTimeOffset CreatedAt, bool Disabled);

/// <summary>What an API key may call.</summary>
[Flags]
public enum ApiScopes
{
    None = 0,

    /// <summary>Submit and classify content, read what was submitted.</summary>
    Ingest = 1,

    /// <summary>List, claim and decide cases.</summary>
    Review = 2,

    /// <summary>Manage API keys and webhooks, read the audit log.</summary>
    Admin = 4,
}

public static class ApiScopeNames
{
    public static IReadOnlyList<string> All { get; } = ["ingest", "review", "admin"];

    public static IReadOnlyList<string> ToWire(this ApiScopes scopes) =>
        [.. new[] { (ApiScopes.Ingest, "ingest"), (ApiScopes.Review, "review"), (ApiScopes.Admin, "admin") }
            .Where(s => scopes.HasFlag(s.Item1)).Select(s => s.Item2)];

    public static bool TryParse(IEnumerable<string> names, out ApiScopes scopes)
    {
        scopes = ApiScopes.None;
        foreach (var name in names)
        {
            switch (name.Trim())
            {
                case "ingest": scopes |= ApiScopes.Ingest; break;
                case "review": scopes |= ApiScopes.Review; break;
                case "admin": scopes |= ApiScopes.Admin; break;
                default: return false;
            }
        }

        return scopes != ApiScopes.None;
    }
}

/// <summary>An API key (its secret is shown once, at creation, and stored only as a hash).</summary>
/// <param name="Id">The public part of the key (<c>vgl_ID_SECRET</c>).</param>
public sealed record ApiKey(string Id, string Name, ApiScopes Scopes, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>What decides whether a user's sessions still hold: <paramref name="Stamp"/> changes whenever their access
/// changes (disabled, role, password, sign-out everywhere).</summary>
/// <param name="MustChangePassword">An admin reset the password: the user sets a new one at next sign-in.</param>
/// <param name="TotpSecret">The TOTP secret (sealed by the application), once enrolment has begun; null otherwise.</param>
/// <param name="TotpEnabledAt">When the user confirmed a TOTP code, switching two-factor on; null while it is off.</param>
/// <param name="RecoveryCodeHashes">Hashes of the recovery codes not used yet.</param>
public sealed record UserSecurity(string Stamp, bool MustChangePassword, string? TotpSecret, DateTimeOffset? TotpEnabledAt, IReadOnlyList<string> RecoveryCodeHashes)
{
    public bool TwoFactorEnabled => TotpEnabledAt is not null;
}

/// <summary>A signed-in session of the review UI; its id is in the session cookie. Live until it ends (sign-out, an
/// admin's action) or expires (the absolute lifetime).</summary>
/// <param name="Via">How the user signed in: <c>password</c> or <c>oidc</c>.</param>
public sealed record UserSession(string Id, string Username, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? Address, string Via, DateTimeOffset? EndedAt)
{
    public bool IsLive(DateTimeOffset now) => EndedAt is null && now < ExpiresAt;
}
