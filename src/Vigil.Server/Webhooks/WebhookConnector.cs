using System.Net;
using System.Net.Sockets;
using Vigil.Moderation.Webhooks;

namespace Vigil.Server.Webhooks;

/// <summary>
/// The webhook client's connections (<see cref="SocketsHttpHandler.ConnectCallback"/>): the host is resolved here, and
/// only the addresses the target policy allows are connected to, so that the check holds for the address actually used
/// (a name that resolved to a public address when it was registered and to a private one now is refused: DNS
/// rebinding). A host with no allowed address fails with <see cref="WebhookTargetRefusedException"/>.
/// </summary>
public static class WebhookConnector
{
    public static SocketsHttpHandler Handler(WebhookTargetPolicy policy) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false, // a proxy would connect on our behalf, past the policy
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, cancellationToken),
    };

    public static async ValueTask<Stream> ConnectAsync(WebhookTargetPolicy policy, DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(endpoint);
        IPAddress[] addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var refusals = addresses.Select(a => (Address: a, Why: policy.Refusal(a))).ToList();
        var allowed = refusals.Where(r => r.Why is null).Select(r => r.Address).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookTargetRefusedException(refusals.Count == 0
                ? $"'{endpoint.Host}' has no address"
                : $"'{endpoint.Host}' resolves only to addresses the webhook target policy refuses ({string.Join("; ", refusals.Select(r => r.Why))}); allow them with the setting WebhookAllowedNetworks");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
