using System.Globalization;
using Dapper;
using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;
using Vigil.Storage.Content;
using Vigil.Storage.Transfer;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage.Relational;

/// <summary>Inserts exported rows with their own ids (<c>ON CONFLICT DO NOTHING</c>: a row already there stays); at
/// commit, the dialect lets the ids the database assigns follow the highest imported.</summary>
internal sealed class RelationalImport(RelationalScope scope) : IStoreImport
{
    private readonly Dictionary<string, long> _highest = new(StringComparer.Ordinal);
    private readonly RelationalContent _content = new(scope);
    private readonly RelationalBanks _banks = new(scope);
    private readonly RelationalCompliance _compliance = new(scope);

    public async Task<bool> ContentAsync(ExportedContent content, CancellationToken cancellationToken)
    {
        var item = content.Item;
        bool purged = content.PurgedAt is not null;
        var copy = new NewContent(
            item.PlatformContentId, item.AuthorId, item.Url, item.MetadataJson, item.Text, purged ? [] : content.Parts, item.SubmittedBy, item.Assessment, item.IdempotencyKey);
        if (!Imported("content_items", item.Id, await _content.InsertAsync(item.Id, copy, item.ReceivedAt, cancellationToken) is not null))
        {
            // There already: what retention deleted on the source since is deleted here too (nothing else is changed).
            if (content.PurgedAt is { } at)
            {
                await _compliance.PurgeContentAsync(item.Id, at, cancellationToken);
            }

            return false;
        }

        if (purged)
        {
            // Purged: the parts as they are described, without bytes (there are none left), and when they went.
            await scope.RunAsync(async (connection, transaction) =>
            {
                foreach (var part in item.Parts)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        $"INSERT INTO content_parts ({PartRow.Columns}, bytes) VALUES (@Id, @partId, @Type, @MediaType, @Sha256, @Length, @ParentId, @Name, NULL);",
                        new { item.Id, partId = part.Id, part.Type, part.MediaType, part.Sha256, part.Length, part.ParentId, part.Name },
                        transaction,
                        cancellationToken: cancellationToken));
                }

                return await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE content_items SET purged_at = @at WHERE id = @Id;", new { item.Id, at = UnixMs.Of(content.PurgedAt) }, transaction, cancellationToken: cancellationToken));
            }, cancellationToken);
        }

        return true;
    }

    public async Task<bool> CaseAsync(ReviewCase reviewCase, CancellationToken cancellationToken) => Imported("cases", reviewCase.Id, await InsertAsync(
        $"""
        INSERT INTO cases ({CaseRow.Columns})
        VALUES (@Id, @ContentId, @Queue, @Priority, @state, @verdict, @action, @labels, @Language, @ThreatToLife, @PolicyVersion,
            @opened, @ClaimedBy, @leaseExpires, @closed)
        ON CONFLICT DO NOTHING;
        """,
        CaseRow.Values(reviewCase),
        cancellationToken));

    public async Task<bool> DecisionAsync(Decision decision, CancellationToken cancellationToken) => Imported("decisions", decision.Id, await InsertAsync(
        $"INSERT INTO decisions ({DecisionRow.Columns}) VALUES (@Id, @CaseId, @ContentId, @value, @Reason, @DecidedBy, @at, @PolicyVersion) ON CONFLICT DO NOTHING;",
        new { decision.Id, decision.CaseId, decision.ContentId, value = decision.Value.ToWire(), decision.Reason, decision.DecidedBy, at = UnixMs.Of(decision.DecidedAt), decision.PolicyVersion },
        cancellationToken));

    public Task<bool> UserAsync(ExportedUser user, CancellationToken cancellationToken) => InsertAsync(
        $"""
        INSERT INTO users ({UserRow.Columns}, {UserSecurityRow.SecurityColumns})
        VALUES (@Username, @DisplayName, @role, @PasswordHash, @created, @disabled, @Stamp, @mustChange, @TotpSecret, @totpEnabled, @recoveryCodes)
        ON CONFLICT DO NOTHING;
        """,
        new
        {
            user.User.Username,
            user.User.DisplayName,
            role = user.User.Role.ToWire(),
            user.PasswordHash,
            created = UnixMs.Of(user.User.CreatedAt),
            disabled = UnixMs.Of(user.DisabledAt ?? (user.User.Disabled ? user.User.CreatedAt : null)),
            user.Security.Stamp,
            mustChange = user.Security.MustChangePassword ? 1L : 0L,
            user.Security.TotpSecret, // sealed as it was stored: copied, never opened
            totpEnabled = UnixMs.Of(user.Security.TotpEnabledAt),
            recoveryCodes = string.Join(',', user.Security.RecoveryCodeHashes),
        },
        cancellationToken);

    public async Task<bool> SessionAsync(UserSession session, CancellationToken cancellationToken)
    {
        var values = new { session.Id, session.Username, created = UnixMs.Of(session.CreatedAt), expires = UnixMs.Of(session.ExpiresAt), session.Address, session.Via, ended = UnixMs.Of(session.EndedAt) };
        if (await InsertAsync(
            $"INSERT INTO user_sessions ({SessionRow.Columns}) VALUES (@Id, @Username, @created, @expires, @Address, @Via, @ended) ON CONFLICT DO NOTHING;", values, cancellationToken))
        {
            return true;
        }

        // There already: a session ended on the source since (sign-out, an admin's) ends here too, so it cannot go on here.
        if (session.EndedAt is not null)
        {
            await InsertAsync("UPDATE user_sessions SET ended_at = @ended WHERE id = @Id AND ended_at IS NULL;", values, cancellationToken);
        }

        return false;
    }

    public Task<bool> ExposureAsync(ExportedExposure exposure, CancellationToken cancellationToken) => InsertAsync(
        $"INSERT INTO reviewer_exposure ({ExposureRow.Columns}) VALUES (@Username, @day, @CaseId, @seen) ON CONFLICT DO NOTHING;",
        new { exposure.Username, day = exposure.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), exposure.CaseId, seen = UnixMs.Of(exposure.SeenAt) },
        cancellationToken);

    public Task<bool> ApiKeyAsync(ExportedApiKey key, CancellationToken cancellationToken) => InsertAsync(
        $"INSERT INTO api_keys ({ApiKeyRow.Columns}) VALUES (@Id, @Name, @scopes, @SecretHash, @CreatedBy, @created, @revoked) ON CONFLICT DO NOTHING;",
        new
        {
            key.Key.Id,
            key.Key.Name,
            scopes = ApiKeyRow.ScopesToWire(key.Key.Scopes),
            key.SecretHash,
            key.Key.CreatedBy,
            created = UnixMs.Of(key.Key.CreatedAt),
            revoked = UnixMs.Of(key.Key.RevokedAt),
        },
        cancellationToken);

    public async Task<bool> WebhookAsync(ExportedWebhook webhook, CancellationToken cancellationToken) => Imported("webhooks", webhook.Webhook.Id, await InsertAsync(
        $"INSERT INTO webhooks ({WebhookRow.Columns}, deleted_at) VALUES (@Id, @url, @Secret, @events, @CreatedBy, @created, @deleted) ON CONFLICT DO NOTHING;",
        new
        {
            webhook.Webhook.Id,
            url = webhook.Webhook.Url.AbsoluteUri,
            webhook.Webhook.Secret,
            events = string.Join(',', webhook.Webhook.Events),
            webhook.Webhook.CreatedBy,
            created = UnixMs.Of(webhook.Webhook.CreatedAt),
            deleted = UnixMs.Of(webhook.DeletedAt),
        },
        cancellationToken));

    public async Task<bool> OutboxAsync(OutboxMessage message, CancellationToken cancellationToken) => Imported("webhook_outbox", message.Id, await InsertAsync(
        $"""
        INSERT INTO webhook_outbox ({OutboxRow.Columns})
        VALUES (@Id, @WebhookId, @Event, @Payload, @created, @Attempts, @next, @delivered, @Dead, @LastStatus, @LastError)
        ON CONFLICT DO NOTHING;
        """,
        new
        {
            message.Id,
            message.WebhookId,
            message.Event,
            message.Payload,
            created = UnixMs.Of(message.CreatedAt),
            message.Attempts,
            next = UnixMs.Of(message.NextAttemptAt),
            delivered = UnixMs.Of(message.DeliveredAt),
            message.Dead,
            message.LastStatus,
            message.LastError,
        },
        cancellationToken));

    public async Task<bool> PolicyAsync(ExportedPolicy policy, CancellationToken cancellationToken) => Imported("policies", policy.Id, await InsertAsync(
        "INSERT INTO policies (id, version, sha256, json, loaded_at) VALUES (@Id, @version, @sha256, @Json, @loaded) ON CONFLICT DO NOTHING;",
        new { policy.Id, version = policy.Policy.Version, sha256 = policy.Policy.Sha256, policy.Json, loaded = UnixMs.Of(policy.Policy.LoadedAt) },
        cancellationToken));

    public async Task<bool> RemovalOrderAsync(ExportedRemovalOrder order, CancellationToken cancellationToken) =>
        Imported("removal_orders", order.Order.Id, await _compliance.ImportOrderAsync(order.Order, order.DocumentBytes, cancellationToken));

    public Task<bool> PreservationAsync(ExportedPreservation preservation, CancellationToken cancellationToken) =>
        _compliance.ImportPreservationAsync(preservation.Preservation, preservation.PurgedAt, cancellationToken);

    public async Task<bool> PreservationHoldAsync(PreservationHold hold, CancellationToken cancellationToken) =>
        Imported("preservation_holds", hold.Id, await _compliance.ImportHoldAsync(hold, cancellationToken));

    public async Task<bool> StatementAsync(StoredStatement statement, CancellationToken cancellationToken) => Imported("statements_of_reasons", statement.Id, await InsertAsync(
        $"""
        INSERT INTO statements_of_reasons ({RelationalStatements.Columns})
        VALUES (@Id, @Puid, @DecisionId, @ContentId, @Json, @CreatedAt, @DiscloseAt, @DisclosedAt, @SubmissionStatus, @SubmittedAt, @SubmissionError)
        ON CONFLICT DO NOTHING;
        """,
        StatementRow.Of(statement),
        cancellationToken));

    public async Task<bool> NoticeAsync(Notice notice, CancellationToken cancellationToken) => Imported("notices", notice.Id, await InsertAsync(
        $"""
        INSERT INTO notices ({RelationalNotices.NoticeColumns})
        VALUES (@Id, @ContentId, @CaseId, @Location, @Explanation, @Category, @NotifierName, @NotifierEmail, @GoodFaith, @TrustedFlagger, @ReceivedAt,
            @SubmittedBy, @DecisionId, @DecidedAt)
        ON CONFLICT DO NOTHING;
        """,
        NoticeRow.Of(notice),
        cancellationToken));

    public async Task<bool> ComplaintAsync(Complaint complaint, CancellationToken cancellationToken) => Imported("complaints", complaint.Id, await InsertAsync(
        $"""
        INSERT INTO complaints ({RelationalNotices.ComplaintColumns})
        VALUES (@Id, @DecisionId, @ContentId, @CaseId, @Complainant, @Explanation, @OriginalDecider, @ReceivedAt, @DeadlineAt, @SubmittedBy, @Outcome,
            @DecidedBy, @DecidedAt)
        ON CONFLICT DO NOTHING;
        """,
        ComplaintRow.Of(complaint),
        cancellationToken));

    public Task<long> BankEntriesAsync(string bank, IEnumerable<BankEntry> entries, CancellationToken cancellationToken) =>
        _banks.InsertEntriesAsync(bank, entries, cancellationToken);

    public Task AuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            await scope.Dialect.LockAuditChainAsync(connection, transaction, cancellationToken);
            var head = await connection.QuerySingleOrDefaultAsync<AuditRow>(new CommandDefinition(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;", transaction: transaction, cancellationToken: cancellationToken));
            AuditImport.CheckContinues(head?.Seq ?? 0, head?.Hash ?? AuditChain.Genesis, entry);
            return await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO audit_log ({AuditRow.Columns}) VALUES (@Seq, @at, @Actor, @Action, @Subject, @DetailsJson, @PrevHash, @Hash);",
                new { entry.Seq, at = UnixMs.Of(entry.At), entry.Actor, entry.Action, entry.Subject, entry.DetailsJson, entry.PrevHash, entry.Hash },
                transaction,
                cancellationToken: cancellationToken));
        }, cancellationToken);

    /// <summary>Lets the ids the database assigns from now on follow the highest imported (before the unit commits).</summary>
    public Task FollowImportedIdsAsync(CancellationToken cancellationToken) => _highest.Count == 0
        ? Task.CompletedTask
        : scope.RunAsync(async (connection, transaction) =>
        {
            await scope.Dialect.FollowImportedIdsAsync(connection, transaction, _highest, cancellationToken);
            _highest.Clear();
            return 0;
        }, cancellationToken);

    private Task<bool> InsertAsync(string sql, object values, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(sql, values, transaction, cancellationToken: cancellationToken)) == 1, cancellationToken);

    private bool Imported(string table, long id, bool inserted)
    {
        if (inserted && (!_highest.TryGetValue(table, out long highest) || id > highest))
        {
            _highest[table] = id;
        }

        return inserted;
    }
}
