using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Compliance;
using Vigil.Server.Auth;
using Vigil.Storage;
using Vigil.Storage.Compliance;

namespace Vigil.Server.Pages.Compliance;

/// <summary>Removed content under preservation (TCO Art 6), its holds (add, extend, release) and what retention deleted.</summary>
public sealed class PreservationModel(IVigilStore store, Preservations preservations, ComplianceSettings settings, TimeProvider time) : PageModel
{
    public IReadOnlyList<Preservation> Items { get; private set; } = [];

    public TimeSpan KeptUpRetention => settings.KeptUpRetention;

    public DateTimeOffset Now { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Until { get; set; }

    public async Task OnGetAsync([FromQuery] string? done, CancellationToken cancellationToken)
    {
        Message = done switch
        {
            "added" => "Hold added.",
            "extended" => "Hold extended.",
            "released" => "Hold released.",
            _ => null,
        };
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostHoldAsync(long content, CancellationToken cancellationToken) =>
        await AfterAsync(
            ParseUntil() is { } until ? (await preservations.HoldAsync(content, Reason ?? "", until, User.Actor(), cancellationToken)).Status : HoldStatus.Invalid,
            "added",
            cancellationToken);

    public async Task<IActionResult> OnPostExtendAsync(long content, long hold, CancellationToken cancellationToken) =>
        await AfterAsync(
            ParseUntil() is { } until ? await preservations.ExtendAsync(content, hold, until, User.Actor(), cancellationToken) : HoldStatus.Invalid,
            "extended",
            cancellationToken);

    public async Task<IActionResult> OnPostReleaseAsync(long content, long hold, CancellationToken cancellationToken) =>
        await AfterAsync(await preservations.ReleaseAsync(content, hold, User.Actor(), cancellationToken), "released", cancellationToken);

    private DateTimeOffset? ParseUntil() =>
        DateTime.TryParse(Until, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))
            : null;

    private async Task<IActionResult> AfterAsync(HoldStatus status, string done, CancellationToken cancellationToken)
    {
        if (status == HoldStatus.Done)
        {
            return LocalRedirect($"/preservation?done={done}");
        }

        Error = status switch
        {
            HoldStatus.NotPreserved => "That content is not preserved.",
            HoldStatus.NoSuchHold => "There is no such hold.",
            HoldStatus.Released => "That hold was released already.",
            HoldStatus.Purged => "That content's text and bytes were deleted already.",
            _ => "Give a reason and an end date in the future (UTC).",
        };
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        Items = await store.Compliance.ListPreservationsAsync(unpurgedOnly: false, 500, cancellationToken);
    }
}
