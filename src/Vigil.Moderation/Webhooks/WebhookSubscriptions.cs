using System.Security.Cryptography;
using System.Text.Json;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Webhooks;

namespace Vigil.Moderation.Webhooks;

/// <summary>Why a webhook cannot be registered.</summary>
public sealed class WebhookRequestException(string message) : Exception(message);

/// <summary>Webhook subscriptions: registering (audited <c>webhook.created</c>) and deleting (audited
/// <c>webhook.deleted</c>; its pending deliveries are dropped).</summary>
public sealed class WebhookSubscriptions(IVigilStore store, TimeProvider time)
{
    /// <summary>Subscribes <paramref name="url"/>; returns the webhook and its secret (generated when none is given).</summary>
    /// <exception cref="WebhookRequestException">The URL, events or secret are not acceptable; the message says why.</exception>
    public async Task<(Webhook Hook, string Secret)> RegisterAsync(string? url, IReadOnlyList<string>? events, string? secret, string actor, CancellationToken cancellationToken)
    {
        if (url is null || url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var target)
            || target.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(target.UserInfo))
        {
            throw new WebhookRequestException("'url' must be an absolute http or https URL without credentials.");
        }

        var names = events is { Count: > 0 } list ? list.Distinct(StringComparer.Ordinal).ToList() : [WebhookEvents.DecisionCreated];
        if (names.FirstOrDefault(e => !WebhookEvents.All.Contains(e, StringComparer.Ordinal)) is { } unknown)
        {
            throw new WebhookRequestException($"Unknown event '{unknown}'. Known: {string.Join(", ", WebhookEvents.All)}.");
        }

        secret ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        if (secret.Length is < 16 or > 200)
        {
            throw new WebhookRequestException("'secret' must be 16-200 characters (omit it to have one generated).");
        }

        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var hook = await unit.Webhooks.InsertAsync(target, secret, names, actor, now, cancellationToken);
        string details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["url"] = target.AbsoluteUri, ["events"] = names });
        await unit.Audit.AppendAsync(new AuditRecord(actor, "webhook.created", $"webhook:{hook.Id}", details), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return (hook, secret);
    }

    /// <summary>Stops deliveries to a webhook; false when there is no such webhook.</summary>
    public async Task<bool> DeleteAsync(long id, string actor, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (!await unit.Webhooks.DeleteAsync(id, now, cancellationToken))
        {
            return false;
        }

        await unit.Outbox.AbandonPendingAsync(id, "webhook deleted", cancellationToken);
        await unit.Audit.AppendAsync(new AuditRecord(actor, "webhook.deleted", $"webhook:{id}"), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return true;
    }
}
