using Vigil.Moderation.Access;
using Vigil.Storage.Users;

namespace Vigil.Moderation.Tests;

/// <summary>Server-side sessions: the absolute lifetime, the stamp, and how long a check is reused.</summary>
public sealed class SessionsTests : StoreTests
{
    [Fact]
    public async Task A_session_ends_at_its_absolute_lifetime_however_active()
    {
        var (sessions, _, user) = await SetUpAsync(new SessionSettings(TimeSpan.FromHours(12), TimeSpan.FromSeconds(5)));
        var (session, stamp) = await sessions.StartAsync(user, "127.0.0.1", "password", None);
        for (int hour = 0; hour < 12; hour++)
        {
            Assert.NotNull(await sessions.CheckAsync(session.Id, "ann", stamp, None)); // used every hour
            Clock.Advance(TimeSpan.FromHours(1));
        }

        Assert.Null(await sessions.CheckAsync(session.Id, "ann", stamp, None)); // 12 h after sign-in
        Assert.Empty(await Store.Users.ListSessionsAsync("ann", Clock.GetUtcNow(), None));
    }

    [Fact]
    public async Task A_change_from_another_process_takes_effect_once_the_check_interval_has_passed()
    {
        var settings = new SessionSettings(TimeSpan.FromHours(12), TimeSpan.FromSeconds(5));
        var (sessions, _, user) = await SetUpAsync(settings);
        var (session, stamp) = await sessions.StartAsync(user, null, "password", None);
        Assert.NotNull(await sessions.CheckAsync(session.Id, "ann", stamp, None));

        // Another process (its own cache) disables ann: this one reuses its check for at most the interval.
        var elsewhere = new UserLifecycle(Store, new SessionCache(settings, Clock), Clock);
        Assert.Equal(UserChangeStatus.Changed, await elsewhere.DisableAsync("ann", "cli:op", None));
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(await sessions.CheckAsync(session.Id, "ann", stamp, None));
    }

    [Fact]
    public async Task This_processs_own_change_takes_effect_on_the_next_check_and_a_stale_stamp_is_refused()
    {
        var (sessions, lifecycle, user) = await SetUpAsync(new SessionSettings(TimeSpan.FromHours(12), TimeSpan.FromMinutes(10)));
        var (session, stamp) = await sessions.StartAsync(user, null, "password", None);
        Assert.NotNull(await sessions.CheckAsync(session.Id, "ann", stamp, None));
        Assert.Null(await sessions.CheckAsync(session.Id, "ann", "another stamp", None));

        Assert.Equal(UserChangeStatus.Changed, await lifecycle.SetRoleAsync("ann", Role.Analyst, "user:boss", None));
        Assert.Null(await sessions.CheckAsync(session.Id, "ann", stamp, None)); // no waiting for the 10-minute interval
        var (again, newStamp) = await sessions.StartAsync((await Store.Users.GetAsync("ann", None))!, null, "password", None);
        Assert.NotEqual(stamp, newStamp);
        Assert.Equal(Role.Analyst, (await sessions.CheckAsync(again.Id, "ann", newStamp, None))!.User.Role);
    }

    private async Task<(Sessions Sessions, UserLifecycle Lifecycle, User User)> SetUpAsync(SessionSettings settings)
    {
        var cache = new SessionCache(settings, Clock);
        Assert.True(await new UserAccounts(Store, Clock).AddAsync("boss", null, Role.Admin, "a password of some length", "test", None));
        Assert.True(await new UserAccounts(Store, Clock).AddAsync("ann", null, Role.Moderator, "a password of some length", "test", None));
        return (new Sessions(Store, cache, settings, Clock), new UserLifecycle(Store, cache, Clock), (await Store.Users.GetAsync("ann", None))!);
    }
}
