using System.Net;
using Vigil.Moderation.Webhooks;

namespace Vigil.Moderation.Tests;

public class WebhookTargetPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("10.0.0.7", "private")]
    [InlineData("172.20.1.1", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.100.1.1", "carrier-grade NAT")]
    [InlineData("fd12:3456::1", "unique-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::ffff:10.1.1.1", "private")]
    [InlineData("64:ff9b::a9fe:a9fe", "link-local")]
    [InlineData("224.0.0.1", "multicast")]
    public void Local_and_private_addresses_are_refused_by_default(string address, string why) =>
        Assert.Contains(why, WebhookTargetPolicy.Default.Refusal(IPAddress.Parse(address)), StringComparison.Ordinal);

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    [InlineData("100.128.0.1")]
    [InlineData("172.32.0.1")]
    public void Public_addresses_are_allowed(string address) => Assert.Null(WebhookTargetPolicy.Default.Refusal(IPAddress.Parse(address)));

    [Fact]
    public void The_allow_list_lets_named_networks_through_and_nothing_else()
    {
        var policy = WebhookTargetPolicy.Parse("10.20.0.0/16, 127.0.0.1 ;fd00::/8");
        Assert.Null(policy.Refusal(IPAddress.Parse("10.20.3.4")));
        Assert.Null(policy.Refusal(IPAddress.Parse("::ffff:10.20.3.4")));
        Assert.Null(policy.Refusal(IPAddress.Parse("127.0.0.1")));
        Assert.NotNull(policy.Refusal(IPAddress.Parse("127.0.0.2")));
        Assert.NotNull(policy.Refusal(IPAddress.Parse("10.21.0.1")));
        Assert.Null(policy.Refusal(IPAddress.Parse("fd00::5")));
        Assert.Throws<FormatException>(() => WebhookTargetPolicy.Parse("intranet"));
        Assert.Empty(WebhookTargetPolicy.Parse("").Allowed);
    }
}
