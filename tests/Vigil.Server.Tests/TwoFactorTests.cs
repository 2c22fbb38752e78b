using System.Net;
using System.Text.RegularExpressions;
using OtpNet;

namespace Vigil.Server.Tests;

/// <summary>TOTP two-factor for admins: required when configured, enrolment by QR code or key, codes and recovery codes.</summary>
public sealed partial class TwoFactorTests : IAsyncLifetime, IDisposable
{
    private readonly VigilFactory _factory = new(new() { ["Vigil:RequireAdminTwoFactor"] = "true" });

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task An_admin_without_totp_is_sent_to_enrolment_and_then_signs_in_with_a_code_or_a_recovery_code()
    {
        var admin = await _factory.ClientAsync("admin");
        var queue = await admin.GetAsync("/queue");
        Assert.Equal(HttpStatusCode.Redirect, queue.StatusCode);
        Assert.Equal("/account/two-factor", queue.Headers.Location!.OriginalString);
        Assert.Equal("/account/two-factor", (await admin.GetAsync("/audit")).Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await (await _factory.ClientAsync("mod")).GetAsync("/queue")).StatusCode); // not an admin

        string page = await admin.GetStringAsync("/account/two-factor");
        Assert.Contains("Admins must use two-factor", page, StringComparison.Ordinal);
        Assert.Contains("src=\"data:image/png;base64,", page, StringComparison.Ordinal); // the QR code
        string secret = Secret().Match(page).Groups[1].Value;
        Assert.Contains($"otpauth://totp/Vigil%3Aadmin?secret={secret}&amp;issuer=Vigil", page, StringComparison.Ordinal);
        var totp = new Totp(Base32Encoding.ToBytes(secret));

        var wrong = await admin.PostAsync("/account/two-factor", Ui.Form(page, ("Code", "000000")));
        Assert.Contains("not right", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var confirmed = await admin.PostAsync("/account/two-factor", Ui.Form(page, ("Code", totp.ComputeTotp(DateTime.UtcNow))));
        string shown = await confirmed.Content.ReadAsStringAsync();
        var recovery = RecoveryCode().Matches(shown).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, recovery.Count);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/audit")).StatusCode); // enrolled: let through

        // Next sign-in: the password, then a code (one not used before: the next time step's).
        var client = await _factory.ClientAsync(null);
        var password = await client.PostAsync("/signin", Ui.Form(await client.GetStringAsync("/signin"), ("Username", "admin"), ("Password", VigilFactory.Password)));
        Assert.Equal("/signin/code", password.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/queue")).StatusCode); // no session yet
        string codePage = await client.GetStringAsync("/signin/code");
        Assert.Contains("not right", await (await client.PostAsync("/signin/code", Ui.Form(codePage, ("Code", "123456")))).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var signedIn = await client.PostAsync("/signin/code", Ui.Form(codePage, ("Code", totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)))));
        Assert.Equal("/queue", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit")).StatusCode);

        // A recovery code works once.
        foreach (bool first in new[] { true, false })
        {
            var other = await _factory.ClientAsync(null);
            await other.PostAsync("/signin", Ui.Form(await other.GetStringAsync("/signin"), ("Username", "admin"), ("Password", VigilFactory.Password)));
            var answer = await other.PostAsync("/signin/code", Ui.Form(await other.GetStringAsync("/signin/code"), ("Code", recovery[0])));
            Assert.Equal(first ? HttpStatusCode.Redirect : HttpStatusCode.OK, answer.StatusCode);
        }

        var audit = await _factory.Store.Audit.ListAsync(200, null, CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "user.two_factor_enabled" && e.Subject == "user:admin");
        Assert.Contains(audit, e => e.Action == "user.recovery_code_used" && e.DetailsJson.Contains("\"recovery_codes_left\":9", StringComparison.Ordinal));
        var stored = (await _factory.Store.Users.GetSecurityAsync("admin", CancellationToken.None))!.Value.Security;
        Assert.DoesNotContain(recovery[1], string.Join(',', stored.RecoveryCodeHashes), StringComparison.Ordinal); // hashed
        Assert.StartsWith("vigil-sealed:", stored.TotpSecret, StringComparison.Ordinal); // sealed with the operator's key
    }

    [GeneratedRegex("id=\"totp-secret\">([A-Z2-7]+)<")]
    private static partial Regex Secret();

    [GeneratedRegex("<li><code>([a-z2-9]{10})</code></li>")]
    private static partial Regex RecoveryCode();
}
