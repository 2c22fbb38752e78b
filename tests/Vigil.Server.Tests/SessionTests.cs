using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Moderation.Access;
using Vigil.Storage.Users;

namespace Vigil.Server.Tests;

/// <summary>Sessions are server-side and revocable: what takes access away takes effect on the next request.</summary>
public sealed class SessionTests : IAsyncLifetime, IDisposable
{
    private readonly VigilFactory _factory = new();

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_disabled_users_existing_session_is_refused_on_its_next_request_and_they_cannot_sign_in()
    {
        await AddUserAsync("dis-1", Role.Moderator);
        var client = await _factory.ClientAsync("dis-1");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/queue")).StatusCode);

        var admin = _factory.Api("admin");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/v1/users/dis-1/disable", null)).StatusCode);
        var next = await client.GetAsync("/queue");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/signin", next.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var other = await _factory.ClientAsync(null);
        Assert.Equal(HttpStatusCode.OK, (await other.PostAsync("/signin", await SignInFormAsync("dis-1", VigilFactory.Password, other))).StatusCode); // refused: the form again

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/v1/users/dis-1/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/queue")).StatusCode); // the old session stays ended
        Assert.Equal(HttpStatusCode.OK, (await (await _factory.ClientAsync("dis-1")).GetAsync("/queue")).StatusCode);

        var actions = (await _factory.Store.Audit.ListAsync(200, null, CancellationToken.None)).Where(e => e.Subject == "user:dis-1").Select(e => (e.Action, e.Actor)).ToList();
        Assert.Contains(actions, a => a.Action == "user.disabled" && a.Actor.StartsWith("key:", StringComparison.Ordinal));
        Assert.Contains(actions, a => a.Action == "user.enabled");
    }

    [Fact]
    public async Task A_role_change_takes_effect_on_the_next_request()
    {
        await AddUserAsync("boss-2", Role.Admin);
        var client = await _factory.ClientAsync("boss-2");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit")).StatusCode);

        var admin = _factory.Api("admin");
        var change = await admin.PostAsJsonAsync("/v1/users/boss-2/role", new { role = "analyst" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        var next = await client.GetAsync("/audit");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/signin", next.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var again = await _factory.ClientAsync("boss-2"); // signed in anew: an analyst
        var denied = await again.GetAsync("/audit");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/denied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var entry = Assert.Single(await _factory.Store.Audit.ListAsync(500, null, CancellationToken.None), e => e.Action == "user.role_changed" && e.Subject == "user:boss-2");
        Assert.Equal("admin", JsonDocument.Parse(entry.DetailsJson).RootElement.GetProperty("from").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/v1/users/boss-2/role", new { role = "boss" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/v1/users/nobody/role", new { role = "admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _factory.Api("review").PostAsJsonAsync("/v1/users/boss-2/role", new { role = "admin" })).StatusCode);
    }

    [Fact]
    public async Task A_signed_out_cookie_is_refused_even_when_copied()
    {
        await AddUserAsync("out-3", Role.Analyst);
        var client = await _factory.ClientAsync(null);
        var signedIn = await client.PostAsync("/signin", await SignInFormAsync("out-3", VigilFactory.Password, client));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        string cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vigil.session=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        var copy = _factory.CreateDefaultClient(VigilFactory.BaseAddress); // another browser, with only the copied cookie
        copy.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/queue")).StatusCode); // the copy works while the session lives

        string page = await client.GetStringAsync("/queue");
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/signout", Ui.Form(page))).StatusCode);
        var refused = await copy.GetAsync("/queue");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/signin", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_and_the_sessions_are_listed_until_then()
    {
        await AddUserAsync("many-4", Role.Moderator);
        var first = await _factory.ClientAsync("many-4");
        var second = await _factory.ClientAsync("many-4");
        var admin = _factory.Api("admin");
        var sessions = JsonDocument.Parse(await admin.GetStringAsync("/v1/users/many-4/sessions")).RootElement;
        Assert.Equal(2, sessions.GetArrayLength());
        Assert.Equal("password", sessions[0].GetProperty("via").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/v1/users/many-4/signout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await first.GetAsync("/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/queue")).StatusCode);
        Assert.Equal(0, JsonDocument.Parse(await admin.GetStringAsync("/v1/users/many-4/sessions")).RootElement.GetArrayLength());
        var entry = Assert.Single(await _factory.Store.Audit.ListAsync(500, null, CancellationToken.None), e => e.Action == "user.signed_out_everywhere" && e.Subject == "user:many-4");
        Assert.Equal(2, JsonDocument.Parse(entry.DetailsJson).RootElement.GetProperty("sessions_ended").GetInt32());
    }

    [Fact]
    public async Task After_a_password_reset_the_user_signs_in_with_the_temporary_password_and_must_set_a_new_one()
    {
        await AddUserAsync("reset-5", Role.Analyst);
        var old = await _factory.ClientAsync("reset-5");
        var reset = await _factory.Api("admin").PostAsync("/v1/users/reset-5/reset-password", null);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        string temporary = JsonDocument.Parse(await reset.Content.ReadAsStringAsync()).RootElement.GetProperty("temporary_password").GetString()!;
        Assert.Equal(UserLifecycle.TemporaryPasswordLength, temporary.Length);
        Assert.Equal(HttpStatusCode.Redirect, (await old.GetAsync("/queue")).StatusCode); // the old session ended

        var client = await _factory.ClientAsync(null);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/signin", await SignInFormAsync("reset-5", VigilFactory.Password, client))).StatusCode); // the old password is gone
        var signedIn = await client.PostAsync("/signin", await SignInFormAsync("reset-5", temporary, client));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var queue = await client.GetAsync("/queue");
        Assert.Equal(HttpStatusCode.Redirect, queue.StatusCode);
        Assert.Equal("/account/password", queue.Headers.Location!.OriginalString);

        string page = await client.GetStringAsync("/account/password");
        Assert.Contains("An admin reset your password", page, StringComparison.Ordinal);
        var tooShort = await client.PostAsync("/account/password", Ui.Form(page, ("NewPassword", "short"), ("Again", "short")));
        Assert.Contains("characters", await tooShort.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        const string chosen = "a new password of my own";
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/account/password", Ui.Form(page, ("NewPassword", chosen), ("Again", chosen)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/queue")).StatusCode);
        var fresh = await _factory.ClientAsync(null);
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.PostAsync("/signin", await SignInFormAsync("reset-5", chosen, fresh))).StatusCode);
    }

    [Fact]
    public async Task The_last_enabled_admin_can_be_neither_disabled_nor_demoted()
    {
        var lifecycle = _factory.Services.GetRequiredService<UserLifecycle>();
        foreach (var user in await _factory.Store.Users.ListAsync(CancellationToken.None))
        {
            if (user.Role == Role.Admin && user.Username != "admin")
            {
                await lifecycle.SetRoleAsync(user.Username, Role.Analyst, "test", CancellationToken.None);
            }
        }

        var admin = _factory.Api("admin");
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync("/v1/users/admin/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/v1/users/admin/role", new { role = "moderator" })).StatusCode);
        Assert.False((await _factory.Store.Users.GetAsync("admin", CancellationToken.None))!.Disabled);
    }

    [Fact]
    public async Task The_users_page_changes_a_role_and_shows_a_temporary_password_once()
    {
        await AddUserAsync("page-6", Role.Analyst);
        var client = await _factory.ClientAsync("admin");
        string page = await client.GetStringAsync("/users");
        Assert.Contains("page-6", page, StringComparison.Ordinal);
        var changed = await client.PostAsync("/users?handler=Role", Ui.Form(page, ("Username", "page-6"), ("Role", "moderator")));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("page-6: now moderator.", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Role.Moderator, (await _factory.Store.Users.GetAsync("page-6", CancellationToken.None))!.Role);

        var reset = await client.PostAsync("/users?handler=Reset", Ui.Form(page, ("Username", "page-6")));
        Assert.Contains("id=\"temporary-password\"", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("temporary-password", await client.GetStringAsync("/users"), StringComparison.Ordinal);

        var moderator = await _factory.ClientAsync("mod");
        var denied = await moderator.GetAsync("/users");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/denied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private async Task AddUserAsync(string name, Role role) =>
        Assert.True(await _factory.Services.GetRequiredService<UserAccounts>().AddAsync(name, null, role, VigilFactory.Password, "test", CancellationToken.None));

    private static async Task<FormUrlEncodedContent> SignInFormAsync(string name, string password, HttpClient client) => Ui.Form(await client.GetStringAsync("/signin"), ("Username", name), ("Password", password));
}
