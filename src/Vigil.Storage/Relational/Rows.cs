using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;
using Vigil.Storage.Policies;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage.Relational;

// The rows of the SQL backends' tables as Dapper reads them (snake_case columns to these names; times in Unix ms) and
// how each becomes the contract's record. Every SQL backend has the same tables and columns, so they share these.

/// <summary>A row of <c>cases</c>.</summary>
internal sealed class CaseRow
{
    public const string Columns = """
        id, content_id, queue, priority, state, verdict, action, labels, language, threat_to_life, policy_version,
        opened_at, claimed_by, lease_expires_at, closed_at
        """;

    public long Id { get; set; }

    public long ContentId { get; set; }

    public string Queue { get; set; } = "";

    public long Priority { get; set; }

    public string State { get; set; } = "";

    public string Verdict { get; set; } = "";

    public string Action { get; set; } = "";

    public string Labels { get; set; } = "";

    public string? Language { get; set; }

    public bool ThreatToLife { get; set; }

    public string PolicyVersion { get; set; } = "";

    public long OpenedAt { get; set; }

    public string? ClaimedBy { get; set; }

    public long? LeaseExpiresAt { get; set; }

    public long? ClosedAt { get; set; }

    public static string StateToWire(CaseState state) => state == CaseState.Closed ? "closed" : "open";

    /// <summary>The parameters of every column of a case (<c>@Id, @ContentId, @Queue, @Priority, @state, @verdict, @action,
    /// @labels, @Language, @ThreatToLife, @PolicyVersion, @opened, @ClaimedBy, @leaseExpires, @closed</c>).</summary>
    public static object Values(ReviewCase c) => new
    {
        c.Id,
        c.ContentId,
        c.Queue,
        c.Priority,
        state = StateToWire(c.State),
        verdict = c.Verdict.ToWire(),
        action = c.Action.ToWire(),
        labels = StorageJson.Labels(c.Labels),
        c.Language,
        c.ThreatToLife,
        c.PolicyVersion,
        opened = UnixMs.Of(c.OpenedAt),
        c.ClaimedBy,
        leaseExpires = UnixMs.Of(c.LeaseExpiresAt),
        closed = UnixMs.Of(c.ClosedAt),
    };

    /// <summary>The case as of <paramref name="now"/> (Unix ms): an expired lease reads as none.</summary>
    public ReviewCase ToCase(long now)
    {
        bool live = ClaimedBy is not null && LeaseExpiresAt > now;
        return new ReviewCase(
            Id,
            ContentId,
            Queue,
            (int)Priority,
            State == "closed" ? CaseState.Closed : CaseState.Open,
            Verdict switch { "violating" => VerdictKind.Violating, "review" => VerdictKind.Review, _ => VerdictKind.Clear },
            ModerationActionNames.Parse(Action),
            StorageJson.ParseLabels(Labels),
            Language,
            ThreatToLife,
            PolicyVersion,
            UnixMs.From(OpenedAt),
            live ? ClaimedBy : null,
            live ? UnixMs.From(LeaseExpiresAt) : null,
            UnixMs.From(ClosedAt));
    }
}

/// <summary>A row of <c>decisions</c>.</summary>
internal sealed class DecisionRow
{
    public const string Columns = "id, case_id, content_id, decision, reason, decided_by, decided_at, policy_version";

    public long Id { get; set; }

    public long CaseId { get; set; }

    public long ContentId { get; set; }

    public string Decision { get; set; } = "";

    public string Reason { get; set; } = "";

    public string DecidedBy { get; set; } = "";

    public long DecidedAt { get; set; }

    public string PolicyVersion { get; set; } = "";

    public Decision ToDecision()
    {
        _ = ReviewDecisionNames.TryParse(Decision, out var value);
        return new Decision(Id, CaseId, ContentId, value, Reason, DecidedBy, UnixMs.From(DecidedAt), PolicyVersion);
    }
}

/// <summary>Open cases of one queue.</summary>
internal sealed class QueueCount
{
    public string Queue { get; set; } = "";

    public long Count { get; set; }
}

/// <summary>A row of <c>content_items</c> (the columns a <see cref="ContentItem"/> is read from).</summary>
internal sealed class ContentRow
{
    public const string Columns = "id, platform_content_id, author_id, url, metadata, text, received_at, submitted_by, result, status, idempotency_key";

    public const string Pending = "pending";

    public long Id { get; set; }

    public string? PlatformContentId { get; set; }

    public string? AuthorId { get; set; }

    public string? Url { get; set; }

    public string? Metadata { get; set; }

    public string? Text { get; set; }

    public long ReceivedAt { get; set; }

    public string SubmittedBy { get; set; } = "";

    public string Result { get; set; } = "";

    public string Status { get; set; } = "";

    public string? IdempotencyKey { get; set; }

    /// <summary>When retention purged the item (read only where a query selects <c>purged_at</c>).</summary>
    public long? PurgedAt { get; set; }

    public ContentItem ToItem(IReadOnlyList<StoredPart> parts) => new(
        Id, PlatformContentId, AuthorId, Url, Metadata, Text, parts, UnixMs.From(ReceivedAt), SubmittedBy,
        Status == Pending ? null : StorageJson.DeserializeResult(Result))
    {
        IdempotencyKey = IdempotencyKey,
    };

    /// <summary>The summary columns of a result (placeholders for a pending item, whose status says so).</summary>
    public static object ResultValues(long id, ContentResult result)
    {
        var verdict = result.Verdict;
        return new
        {
            id,
            verdict = verdict.Kind.ToWire(),
            action = result.Action.ToWire(),
            rule = result.Rule,
            labels = StorageJson.Labels(verdict.Labels),
            language = verdict.Language,
            context = verdict.Context.ToWire(),
            policyVersion = verdict.PolicyVersion,
            result = StorageJson.Serialize(result),
        };
    }

    /// <summary>The values of every column of <c>content_items</c> for an item (the result's summary columns too).</summary>
    public static object Values(long? id, NewContent content, long receivedAt)
    {
        var result = content.Result;
        var verdict = result?.Verdict;
        return new
        {
            id,
            content.PlatformContentId,
            content.AuthorId,
            content.Url,
            content.MetadataJson,
            content.Text,
            now = receivedAt,
            content.SubmittedBy,
            verdict = verdict?.Kind.ToWire() ?? Pending,
            action = result?.Action.ToWire() ?? Pending,
            rule = result?.Rule,
            labels = StorageJson.Labels(verdict?.Labels ?? []),
            language = verdict?.Language,
            context = verdict?.Context.ToWire() ?? Pending,
            policyVersion = verdict?.PolicyVersion ?? "",
            result = result is null ? "" : StorageJson.Serialize(result),
            status = result is null ? Pending : "assessed",
            content.IdempotencyKey,
        };
    }

    /// <summary>The column list and parameters of <see cref="Values"/>, without the id.</summary>
    public const string InsertColumns = """
        platform_content_id, author_id, url, metadata, text, received_at, submitted_by,
            verdict, action, rule, labels, language, context, policy_version, result, status, idempotency_key
        """;

    public const string InsertValues = """
        @PlatformContentId, @AuthorId, @Url, @MetadataJson, @Text, @now, @SubmittedBy,
            @verdict, @action, @rule, @labels, @language, @context, @policyVersion, @result, @status, @IdempotencyKey
        """;
}

/// <summary>A row of <c>content_parts</c>.</summary>
internal sealed class PartRow
{
    public const string Columns = "content_id, part_id, type, media_type, sha256, length, parent_id, name";

    public long ContentId { get; set; }

    public string PartId { get; set; } = "";

    public string Type { get; set; } = "";

    public string MediaType { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public long Length { get; set; }

    public string? ParentId { get; set; }

    public string? Name { get; set; }

    public byte[]? Bytes { get; set; }

    public StoredPart ToPart() => new(PartId, Type, MediaType, Sha256, Length, ParentId, Name);

    public NewPart ToNewPart() => new(PartId, Type, MediaType, Sha256, Bytes ?? [], ParentId, Name);

    /// <summary>The parameters of one part of item <paramref name="contentId"/> (<c>@contentId, @partId, @Type, …, @bytes</c>).</summary>
    public static object Values(long contentId, NewPart part) =>
        new { contentId, partId = part.Id, part.Type, part.MediaType, part.Sha256, length = part.Bytes.Length, part.ParentId, part.Name, bytes = part.Bytes.ToArray() };

    public const string InsertValues = "@contentId, @partId, @Type, @MediaType, @Sha256, @length, @ParentId, @Name, @bytes";
}

/// <summary>A row of <c>users</c>.</summary>
internal class UserRow
{
    public const string Columns = "username, display_name, role, password_hash, created_at, disabled_at";

    public string Username { get; set; } = "";

    public string? DisplayName { get; set; }

    public string Role { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public long CreatedAt { get; set; }

    public long? DisabledAt { get; set; }

    public User ToUser()
    {
        _ = RoleNames.TryParse(Role, out var role);
        return new User(Username, DisplayName, role, UnixMs.From(CreatedAt), DisabledAt is not null);
    }
}

/// <summary>A row of <c>users</c> with its security columns.</summary>
internal sealed class UserSecurityRow : UserRow
{
    public const string SecurityColumns = "security_stamp, must_change_password, totp_secret, totp_enabled_at, recovery_codes";

    public string SecurityStamp { get; set; } = "";

    public long MustChangePassword { get; set; }

    public string? TotpSecret { get; set; }

    public long? TotpEnabledAt { get; set; }

    public string RecoveryCodes { get; set; } = "";

    public UserSecurity ToSecurity() =>
        new(SecurityStamp, MustChangePassword != 0, TotpSecret, UnixMs.From(TotpEnabledAt), RecoveryCodes.Split(',', StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>A row of <c>user_sessions</c>.</summary>
internal sealed class SessionRow
{
    public const string Columns = "id, username, created_at, expires_at, address, via, ended_at";

    public string Id { get; set; } = "";

    public string Username { get; set; } = "";

    public long CreatedAt { get; set; }

    public long ExpiresAt { get; set; }

    public string? Address { get; set; }

    public string Via { get; set; } = "";

    public long? EndedAt { get; set; }

    public UserSession ToSession() =>
        new(Id, Username, UnixMs.From(CreatedAt), UnixMs.From(ExpiresAt), Address, Via, UnixMs.From(EndedAt));
}

/// <summary>A row of <c>reviewer_exposure</c>.</summary>
internal sealed class ExposureRow
{
    public const string Columns = "username, day, case_id, seen_at";

    public string Username { get; set; } = "";

    public string Day { get; set; } = "";

    public long CaseId { get; set; }

    public long SeenAt { get; set; }
}

/// <summary>A row of <c>api_keys</c>.</summary>
internal sealed class ApiKeyRow
{
    public const string Columns = "id, name, scopes, key_hash, created_by, created_at, revoked_at";

    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string Scopes { get; set; } = "";

    public string KeyHash { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public long CreatedAt { get; set; }

    public long? RevokedAt { get; set; }

    public static string ScopesToWire(ApiScopes scopes) => string.Join(',', scopes.ToWire());

    public ApiKey ToKey()
    {
        _ = ApiScopeNames.TryParse(Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries), out var scopes);
        return new ApiKey(Id, Name, scopes, CreatedBy, UnixMs.From(CreatedAt), UnixMs.From(RevokedAt));
    }
}

/// <summary>A row of <c>webhooks</c>.</summary>
internal class WebhookRow
{
    public const string Columns = "id, url, secret, events, created_by, created_at";

    public long Id { get; set; }

    public string Url { get; set; } = "";

    public string Secret { get; set; } = "";

    public string Events { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public long CreatedAt { get; set; }

    public long? DeletedAt { get; set; }

    public Webhook ToWebhook() => new(Id, new Uri(Url), Secret, Events.Split(',', StringSplitOptions.RemoveEmptyEntries), CreatedBy, UnixMs.From(CreatedAt));
}

/// <summary>A row of <c>webhook_outbox</c>.</summary>
internal class OutboxRow
{
    public const string Columns = "id, webhook_id, event, payload, created_at, attempts, next_attempt_at, delivered_at, dead, last_status, last_error";

    public long Id { get; set; }

    public long WebhookId { get; set; }

    public string Event { get; set; } = "";

    public string Payload { get; set; } = "";

    public long CreatedAt { get; set; }

    public long Attempts { get; set; }

    public long NextAttemptAt { get; set; }

    public long? DeliveredAt { get; set; }

    public bool Dead { get; set; }

    public long? LastStatus { get; set; }

    public string? LastError { get; set; }

    public OutboxMessage ToMessage() => new(
        Id, WebhookId, Event, Payload, UnixMs.From(CreatedAt), (int)Attempts, UnixMs.From(NextAttemptAt),
        UnixMs.From(DeliveredAt), Dead, (int?)LastStatus, LastError);

    /// <summary>The last error as stored: at most 500 characters.</summary>
    public static string Problem(string problem) => problem.Length > 500 ? problem[..500] : problem;
}

/// <summary>A due delivery with its webhook's columns (<see cref="Select"/>).</summary>
internal sealed class DueRow : OutboxRow
{
    /// <summary>The select list over <c>webhook_outbox o JOIN webhooks w</c>.</summary>
    public const string Select = """
        o.id, o.webhook_id, o.event, o.payload, o.created_at, o.attempts, o.next_attempt_at, o.delivered_at, o.dead,
            o.last_status, o.last_error, w.url, w.secret, w.events, w.created_by AS hook_created_by, w.created_at AS hook_created_at
        """;

    public string Url { get; set; } = "";

    public string Secret { get; set; } = "";

    public string Events { get; set; } = "";

    public string HookCreatedBy { get; set; } = "";

    public long HookCreatedAt { get; set; }

    public DueDelivery ToDelivery() => new(ToMessage(), new WebhookRow
    {
        Id = WebhookId,
        Url = Url,
        Secret = Secret,
        Events = Events,
        CreatedBy = HookCreatedBy,
        CreatedAt = HookCreatedAt,
    }.ToWebhook());
}

/// <summary>A row of <c>hash_banks</c>.</summary>
internal sealed class BankRow
{
    public const string Columns = "id, name, enabled, allow_list, description, settings, on_match, created_at, updated_at";

    public long Id { get; set; }

    public string Name { get; set; } = "";

    public bool Enabled { get; set; }

    public bool AllowList { get; set; }

    public string? Description { get; set; }

    public string Settings { get; set; } = "{}";

    public string? OnMatch { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public HashBank ToBank() => new(Name, Enabled, AllowList, Description, UnixMs.From(CreatedAt), UnixMs.From(UpdatedAt))
    {
        Settings = BankSettings.Parse(Settings),
        OnMatch = OnMatch is null ? null : ModerationActionNames.Parse(OnMatch),
    };

    /// <summary>The parameters of a bank's columns (<c>@Name, @Enabled, @AllowList, @Description, @settings, @onMatch, @created, @updated</c>).</summary>
    public static object Values(HashBank bank) => new
    {
        bank.Name,
        bank.Enabled,
        bank.AllowList,
        bank.Description,
        settings = bank.Settings.ToJson(),
        onMatch = bank.OnMatch?.ToWire(),
        created = UnixMs.Of(bank.CreatedAt),
        updated = UnixMs.Of(bank.UpdatedAt),
    };
}

/// <summary>A row of <c>audit_log</c>.</summary>
internal sealed class AuditRow
{
    public const string Columns = "seq, at, actor, action, subject, details, prev_hash, hash";

    public long Seq { get; set; }

    public long At { get; set; }

    public string Actor { get; set; } = "";

    public string Action { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Details { get; set; } = "";

    public string PrevHash { get; set; } = "";

    public string Hash { get; set; } = "";

    public AuditEntry ToEntry() => new(Seq, UnixMs.From(At), Actor, Action, Subject, Details, PrevHash, Hash);
}

/// <summary>A row of <c>policies</c>.</summary>
internal sealed class PolicyRow
{
    public long Id { get; set; }

    public string Version { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public string Json { get; set; } = "";

    public long LoadedAt { get; set; }

    public PolicyRecord ToRecord() => new(Version, Sha256, UnixMs.From(LoadedAt));
}
