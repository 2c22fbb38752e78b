using Vigil.Moderation.Access;
using Vigil.Server.Auth;
using Vigil.Storage;
using Vigil.Storage.Users;

namespace Vigil.Server.Api;

/// <summary>Reviewer accounts and their lifecycle: the <c>admin</c> scope. Each change is audited; one that takes access
/// away (disable, role, password reset, sign-out everywhere) ends the user's sessions at once.</summary>
public static class UserEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var users = v1.MapGroup("/users").RequireAuthorization(VigilAuth.Admin).WithTags("users");
        users.MapGet("/", async (IVigilStore store, CancellationToken ct) => Results.Ok((await store.Users.ListAsync(ct)).Select(UserDto.From)))
            .WithName("ListUsers").WithSummary("Every reviewer account (never passwords).").Produces<UserDto[]>();
        users.MapGet("/{name}/sessions", async (string name, UserLifecycle users, CancellationToken ct) =>
                await users.ListSessionsAsync(name, ct) is { } sessions ? Results.Ok(sessions.Select(SessionDto.From)) : NoSuchUser(name))
            .WithName("ListSessions").WithSummary("The user's live sessions, oldest first.").Produces<SessionDto[]>();
        users.MapPost("/{name}/disable", (string name, HttpContext http, UserLifecycle users, CancellationToken ct) =>
                AnswerAsync(name, users.DisableAsync(name, http.User.Actor(), ct)))
            .WithName("DisableUser").WithSummary("Disable a user: they cannot sign in and their sessions end (their API keys stay).");
        users.MapPost("/{name}/enable", (string name, HttpContext http, UserLifecycle users, CancellationToken ct) =>
                AnswerAsync(name, users.EnableAsync(name, http.User.Actor(), ct)))
            .WithName("EnableUser").WithSummary("Enable a disabled user again.");
        users.MapPost("/{name}/role", (string name, RoleRequest request, HttpContext http, UserLifecycle users, CancellationToken ct) =>
                RoleNames.TryParse(request.Role, out var role)
                    ? AnswerAsync(name, users.SetRoleAsync(name, role, http.User.Actor(), ct))
                    : Task.FromResult(ApiProblemException.BadRequest($"'role' must be one of {string.Join(", ", RoleNames.All)}.").ToResult()))
            .WithName("SetUserRole").WithSummary("Change a user's role; their sessions end.").ProducesProblem(StatusCodes.Status400BadRequest);
        users.MapPost("/{name}/signout", (string name, HttpContext http, UserLifecycle users, CancellationToken ct) =>
                AnswerAsync(name, users.SignOutEverywhereAsync(name, http.User.Actor(), ct)))
            .WithName("SignOutUser").WithSummary("Sign a user out everywhere: every session of theirs ends.");
        users.MapPost("/{name}/reset-two-factor", (string name, HttpContext http, TwoFactor twoFactor, CancellationToken ct) =>
                AnswerAsync(name, twoFactor.ResetAsync(name, http.User.Actor(), ct)))
            .WithName("ResetTwoFactor").WithSummary("Switch a user's two-factor sign-in off (a lost device): they set it up again at next sign-in; their sessions end.");
        users.MapPost("/{name}/reset-password", async (string name, HttpContext http, UserLifecycle users, CancellationToken ct) =>
            {
                var (status, temporary) = await users.ResetPasswordAsync(name, http.User.Actor(), ct);
                return status == UserChangeStatus.Changed ? Results.Ok(new PasswordResetDto(name, temporary!)) : Answer(name, status);
            })
            .WithName("ResetPassword").WithSummary("Give the user a temporary password (shown once) to replace at next sign-in; their sessions end.")
            .Produces<PasswordResetDto>();
    }

    private static async Task<IResult> AnswerAsync(string name, Task<UserChangeStatus> change) => Answer(name, await change);

    private static IResult Answer(string name, UserChangeStatus status) => status switch
    {
        UserChangeStatus.Changed or UserChangeStatus.Unchanged => Results.NoContent(),
        UserChangeStatus.LastAdmin => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: $"'{name}' is the last enabled admin; make another user admin first."),
        _ => NoSuchUser(name),
    };

    private static IResult NoSuchUser(string name) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no user '{name}'.");
}

public sealed record RoleRequest(string? Role);

public sealed record UserDto(string Username, string? DisplayName, string Role, DateTimeOffset CreatedAt, bool Disabled)
{
    public static UserDto From(User user) => new(user.Username, user.DisplayName, user.Role.ToWire(), user.CreatedAt, user.Disabled);
}

public sealed record SessionDto(string Id, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string Via, string? Address)
{
    public static SessionDto From(UserSession session) => new(session.Id, session.CreatedAt, session.ExpiresAt, session.Via, session.Address);
}

public sealed record PasswordResetDto(string Username, string TemporaryPassword);
