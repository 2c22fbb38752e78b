using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Access;
using Vigil.Server.Auth;
using Vigil.Storage;
using Vigil.Storage.Users;

namespace Vigil.Server.Pages;

/// <summary>The admins' page of reviewer accounts: disable or enable, change role, reset the password, sign out
/// everywhere (each audited, over <see cref="UserLifecycle"/>), and each user's live sessions.</summary>
public sealed class UsersModel(IVigilStore store, UserLifecycle lifecycle, TwoFactor twoFactor) : PageModel
{
    public IReadOnlyList<(User User, IReadOnlyList<UserSession> Sessions)> Users { get; private set; } = [];

    /// <summary>What the last action did (or why it did not).</summary>
    public string? Message { get; private set; }

    public bool Failed { get; private set; }

    /// <summary>A temporary password just made, shown this once.</summary>
    public string? TemporaryPassword { get; private set; }

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(CancellationToken ct) => ChangeAsync("disabled", (name, actor) => lifecycle.DisableAsync(name, actor, ct), ct);

    public Task<IActionResult> OnPostEnableAsync(CancellationToken ct) => ChangeAsync("enabled", (name, actor) => lifecycle.EnableAsync(name, actor, ct), ct);

    public Task<IActionResult> OnPostSignOutAsync(CancellationToken ct) => ChangeAsync("signed out everywhere", (name, actor) => lifecycle.SignOutEverywhereAsync(name, actor, ct), ct);

    public Task<IActionResult> OnPostResetTwoFactorAsync(CancellationToken ct) => ChangeAsync("two-factor reset", (name, actor) => twoFactor.ResetAsync(name, actor, ct), ct);

    public Task<IActionResult> OnPostRoleAsync(CancellationToken ct) =>
        RoleNames.TryParse(Role, out var role)
            ? ChangeAsync($"now {role.ToWire()}", (name, actor) => lifecycle.SetRoleAsync(name, role, actor, ct), ct)
            : FailAsync("Choose admin, moderator or analyst.", ct);

    public async Task<IActionResult> OnPostResetAsync(CancellationToken ct)
    {
        var (status, temporary) = await lifecycle.ResetPasswordAsync(Username ?? "", User.Actor(), ct);
        TemporaryPassword = temporary;
        return await ShowAsync(status, "given a temporary password", ct);
    }

    private async Task<IActionResult> ChangeAsync(string done, Func<string, string, Task<UserChangeStatus>> change, CancellationToken cancellationToken) =>
        await ShowAsync(await change(Username ?? "", User.Actor()), done, cancellationToken);

    private async Task<IActionResult> ShowAsync(UserChangeStatus status, string done, CancellationToken cancellationToken)
    {
        (Message, Failed) = status switch
        {
            UserChangeStatus.Changed => ($"{Username}: {done}.", false),
            UserChangeStatus.Unchanged => ($"{Username}: nothing to change.", false),
            UserChangeStatus.LastAdmin => ($"{Username} is the last enabled admin; make another user admin first.", true),
            _ => ($"There is no user '{Username}'.", true),
        };
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task<IActionResult> FailAsync(string message, CancellationToken cancellationToken)
    {
        (Message, Failed) = (message, true);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var list = new List<(User, IReadOnlyList<UserSession>)>();
        foreach (var user in await store.Users.ListAsync(cancellationToken))
        {
            list.Add((user, await lifecycle.ListSessionsAsync(user.Username, cancellationToken) ?? []));
        }

        Users = list;
    }
}
