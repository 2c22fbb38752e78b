using System.Net;
using System.Net.Sockets;

namespace Vigil.Moderation.Webhooks;

/// <summary>A webhook target the policy refuses; the message says which address and why (for the log, not the API).</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);

/// <summary>
/// Where webhooks may be delivered. By default every address that reaches the service's own machine or network is
/// refused: loopback, link-local (cloud metadata services live there), private (RFC 1918), carrier-grade NAT (RFC 6598),
/// IPv6 unique-local and site-local, unspecified, multicast and reserved ranges, also when written as IPv4-mapped or
/// NAT64 IPv6 addresses: a webhook URL is chosen by whoever holds an admin key, and must not be a way into the network
/// the service runs in (server-side request forgery). Deployments whose platform lives on a private network name its
/// networks in the allow-list (setting <c>WebhookAllowedNetworks</c>: CIDR blocks or single addresses). The dispatcher
/// checks the address it is about to connect to, after name resolution, so a name that resolves to an allowed address
/// when registered and to a refused one later (DNS rebinding) is still refused.
/// </summary>
public sealed class WebhookTargetPolicy
{
    private static readonly (IPNetwork Network, string Why)[] Refused =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a carrier-grade NAT address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.0.0.0/24"), "a reserved address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a reserved address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("fc00::/7"), "a unique-local address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fec0::/10"), "a site-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private readonly IReadOnlyList<IPNetwork> _allowed;

    /// <param name="allowed">Networks delivered to even though they are refused by default.</param>
    public WebhookTargetPolicy(IEnumerable<IPNetwork>? allowed = null) => _allowed = [.. allowed ?? []];

    /// <summary>The default policy: every local and private address refused, nothing allowed back.</summary>
    public static WebhookTargetPolicy Default { get; } = new();

    /// <summary>The allowed networks.</summary>
    public IReadOnlyList<IPNetwork> Allowed => _allowed;

    /// <summary>Reads an allow-list: CIDR blocks or single addresses separated by commas, semicolons or spaces.</summary>
    /// <exception cref="FormatException">An item is neither.</exception>
    public static WebhookTargetPolicy Parse(string? allowList)
    {
        var networks = new List<IPNetwork>();
        foreach (var item in (allowList ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new FormatException($"'{item}' is neither an address nor a CIDR block (such as 10.20.0.0/16).");
            }
        }

        return new WebhookTargetPolicy(networks);
    }

    /// <summary>Why deliveries to <paramref name="address"/> are refused, or null when they are allowed.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = Unwrap(address);
        if (_allowed.Any(n => n.Contains(plain) || n.Contains(address)))
        {
            return null;
        }

        foreach (var (network, why) in Refused)
        {
            if (network.BaseAddress.AddressFamily == plain.AddressFamily && network.Contains(plain))
            {
                return $"{address} is {why}";
            }
        }

        return null;
    }

    /// <summary>The IPv4 address inside an IPv4-mapped or NAT64 IPv6 address, else the address itself.</summary>
    private static IPAddress Unwrap(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && Nat64.Contains(address))
        {
            return new IPAddress(address.GetAddressBytes()[12..]);
        }

        return address;
    }
}
