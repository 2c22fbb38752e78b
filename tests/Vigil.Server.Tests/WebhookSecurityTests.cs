using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vigil.Moderation.Secrets;
using Vigil.Moderation.Webhooks;
using Vigil.Server.Webhooks;

namespace Vigil.Server.Tests;

/// <summary>Webhooks go only where the target policy allows, are signed with their timestamp, and their secrets (and the
/// sign-in key ring) are sealed at rest; the database and the key folder are their owner's only.</summary>
public sealed class WebhookSecurityTests
{
    [Fact]
    public async Task By_default_loopback_targets_are_refused_at_registration_and_by_name_at_connect_time()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var factory = new VigilFactory(new() { ["Vigil:WebhookAllowedNetworks"] = "" });
        await factory.SeedAsync();
        var admin = factory.Api("admin");

        // An address literal is refused when registered.
        Assert.Contains("refused by the webhook target policy", await (await admin.PostJsonAsync("/v1/webhooks", new { Url = receiver.Url.AbsoluteUri })).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("private address", await (await admin.PostJsonAsync("/v1/webhooks", new { Url = "https://10.1.2.3/hook" })).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("link-local", await (await admin.PostJsonAsync("/v1/webhooks", new { Url = "http://[::ffff:169.254.169.254]/" })).ProblemAsync(400), StringComparison.Ordinal);

        // A name is checked where it resolves, when connecting: localhost is loopback, so nothing reaches the receiver.
        var byName = new UriBuilder(receiver.Url) { Host = "localhost" }.Uri;
        long hookId = (await (await admin.PostJsonAsync("/v1/webhooks", new { Url = byName.AbsoluteUri })).JsonAsync()).GetProperty("webhook").GetProperty("id").GetInt64();
        await OpenAndDecideAsync(factory);
        var record = await FirstAttemptAsync(admin, hookId);
        Assert.Equal("refused by policy", record.GetProperty("last_error").GetString());
        Assert.Equal(0, receiver.Attempts);
    }

    [Fact]
    public async Task A_delivery_that_cannot_connect_says_failed_not_the_socket_error()
    {
        using var factory = new VigilFactory();
        await factory.SeedAsync();
        var admin = factory.Api("admin");
        long hookId = (await (await admin.PostJsonAsync("/v1/webhooks", new { Url = $"http://127.0.0.1:{ClosedPort()}/hook" })).JsonAsync()).GetProperty("webhook").GetProperty("id").GetInt64();
        await OpenAndDecideAsync(factory);
        var record = await FirstAttemptAsync(admin, hookId);
        Assert.Equal("failed", record.GetProperty("last_error").GetString());
    }

    [Fact]
    public async Task Deliveries_are_signed_with_their_timestamp_and_a_replay_outside_the_window_fails_the_receiver_s_check()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var factory = new VigilFactory(new() { ["Vigil:WebhookLegacySignature"] = "false" });
        await factory.SeedAsync();
        string secret = (await (await factory.Api("admin").PostJsonAsync("/v1/webhooks", new { Url = receiver.Url.AbsoluteUri })).JsonAsync()).GetProperty("secret").GetString()!;
        await OpenAndDecideAsync(factory);
        var delivery = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30));

        string timestamp = delivery.Headers[WebhookSignature.TimestampHeader];
        string signature = delivery.Headers[WebhookSignature.TimestampedHeader];
        var sent = DateTimeOffset.FromUnixTimeSeconds(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(sent, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.False(delivery.Headers.ContainsKey(WebhookSignature.Header)); // the body-only signature was turned off

        // The receiver's documented check (docs/service.md): signature over "timestamp.body", timestamp within 5 minutes.
        Assert.True(WebhookSignature.VerifyTimestamped(secret, timestamp, delivery.Body, signature, sent.AddSeconds(3)));
        Assert.False(WebhookSignature.VerifyTimestamped(secret, timestamp, delivery.Body, signature, sent.AddMinutes(6))); // replayed later
        Assert.False(WebhookSignature.VerifyTimestamped(secret, (sent.ToUnixTimeSeconds() + 400).ToString(System.Globalization.CultureInfo.InvariantCulture), delivery.Body, signature, sent.AddMinutes(6))); // a new timestamp does not match
        Assert.False(WebhookSignature.VerifyTimestamped("another secret long enough", timestamp, delivery.Body, signature, sent));
        Assert.False(WebhookSignature.VerifyTimestamped(secret, timestamp, [.. delivery.Body, (byte)' '], signature, sent));
    }

    [Fact]
    public async Task Secrets_and_the_key_ring_are_sealed_at_rest_plain_secrets_still_work_and_files_are_the_owner_s()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var factory = new VigilFactory();
        await factory.SeedAsync();
        var admin = factory.Api("admin");
        string secret = (await (await admin.PostJsonAsync("/v1/webhooks", new { Url = receiver.Url.AbsoluteUri })).JsonAsync()).GetProperty("secret").GetString()!;

        // A secret stored before a key was configured: plain.
        await using (var unit = await factory.Store.BeginAsync(CancellationToken.None))
        {
            await unit.Webhooks.InsertAsync(receiver.Url, "an old plain secret of some length", [WebhookEvents.DecisionCreated], "test", DateTimeOffset.UtcNow, CancellationToken.None);
            await unit.CommitAsync(CancellationToken.None);
        }

        var stored = new List<string>();
        using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT secret FROM webhooks ORDER BY id";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                stored.Add(reader.GetString(0));
            }
        }

        Assert.StartsWith(SecretBox.Prefix, stored[0], StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored[0], StringComparison.Ordinal);
        Assert.Equal("an old plain secret of some length", stored[1]);

        await OpenAndDecideAsync(factory);
        await receiver.WaitForAsync(2, TimeSpan.FromSeconds(30));
        Assert.Contains(receiver.Deliveries, d => WebhookSignature.Verify(secret, d.Body, d.Headers[WebhookSignature.Header]));
        Assert.Contains(receiver.Deliveries, d => WebhookSignature.Verify("an old plain secret of some length", d.Body, d.Headers[WebhookSignature.Header]));

        // The sign-in key ring: sealed, in a folder only its owner may open; the database and its WAL: 0600.
        string keys = factory.DatabasePath + ".keys";
        var ring = Directory.GetFiles(keys, "*.xml");
        Assert.NotEmpty(ring);
        Assert.All(ring, f => Assert.Contains("vigilSealed", File.ReadAllText(f), StringComparison.Ordinal));
        Assert.All(ring, f => Assert.DoesNotContain("<masterKey", File.ReadAllText(f), StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            Assert.Equal(owner | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
            Assert.Equal(owner, File.GetUnixFileMode(factory.DatabasePath));
            Assert.Equal(owner, File.GetUnixFileMode(factory.DatabasePath + "-wal"));
        }
    }

    [Fact]
    public void A_key_file_others_may_read_is_refused_and_a_sealed_value_needs_its_key()
    {
        string file = Path.Combine(Path.GetTempPath(), $"vigil-key-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(file, VigilFactory.SecretsKey + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                Assert.Contains("chmod 600", Assert.Throws<SecretKeyException>(() => SecretBox.FromKeyFile(file)).Message, StringComparison.Ordinal);
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var box = SecretBox.FromKeyFile(file);
            string sealedText = box.Seal("a webhook secret", "webhook-secret");
            Assert.Equal("a webhook secret", box.Open(sealedText, "webhook-secret"));
            Assert.Throws<SecretKeyException>(() => box.Open(sealedText, "key-ring"));
            Assert.Throws<SecretKeyException>(() => SecretBox.None.Open(sealedText, "webhook-secret"));
            Assert.Throws<SecretKeyException>(() => SecretBox.FromKeyText(Convert.ToBase64String(new byte[32]), "test").Open(sealedText, "webhook-secret"));
            Assert.Equal("plain", SecretBox.None.Seal("plain", "webhook-secret"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<JsonElement> FirstAttemptAsync(HttpClient admin, long hookId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var deliveries = await (await admin.GetAsync($"/v1/webhooks/{hookId}/deliveries")).JsonAsync();
            if (deliveries.GetArrayLength() > 0 && deliveries[0].GetProperty("attempts").GetInt32() > 0)
            {
                return deliveries[0];
            }

            Assert.True(DateTime.UtcNow < deadline, "no delivery attempt within 30 s");
            await Task.Delay(100);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task OpenAndDecideAsync(VigilFactory factory)
    {
        var content = await (await factory.Api("ingest").PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText })).JsonAsync();
        long caseId = content.GetProperty("case").GetProperty("id").GetInt64();
        var review = factory.Api("review");
        Assert.Equal(HttpStatusCode.OK, (await review.PostAsync($"/v1/cases/{caseId}/claim", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await review.PostJsonAsync($"/v1/cases/{caseId}/decision", new { Decision = "keep_up", Reason = "checked" })).StatusCode);
    }
}
