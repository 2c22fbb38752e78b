using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Vigil.Core;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Compliance;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Hosting;
using Vigil.Server.Ui;
using Vigil.Storage;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;

namespace Vigil.Server.Pages;

public sealed class CaseModel(
    IVigilStore store, CaseWorkflow workflow, PolicyHolder policy, Wellbeing wellbeing, IAuthorizationService authorization,
    IOptions<VigilServerOptions> options, TimeProvider time, CaseCompliance compliance) : PageModel
{
    public static IReadOnlyList<(string Value, string Text, string Key)> Choices { get; } =
    [
        ("keep_up", "Keep up", "k"),
        ("remove", "Remove", "r"),
        ("restrict", "Restrict", "s"),
        ("escalate", "Escalate", "e"),
        ("report_threat_to_life", "Report threat to life", "t"),
    ];

    public ReviewCase Case { get; private set; } = null!;

    public ContentItem Item { get; private set; } = null!;

    public IReadOnlyList<Decision> Decisions { get; private set; } = [];

    /// <summary>The case's removal order, the deletion of its content, the statements withheld from the uploader.</summary>
    public CaseComplianceView Compliance { get; private set; } = new(null, null, []);

    public IReadOnlyList<ContentItem> AuthorItems { get; private set; } = [];

    public IReadOnlyList<TextSegment> Segments { get; private set; } = [];

    /// <summary>Why the submitted image could not be analysed (its <c>media.unreadable</c> signal), or null.</summary>
    public string? ImageUnreadable { get; private set; }

    /// <summary>Whether this reviewer holds the lease and may decide.</summary>
    public bool CanDecide { get; private set; }

    public bool MayDecide { get; private set; }

    public string? HeldBy { get; private set; }

    public DateTimeOffset? LeaseUntil { get; private set; }

    public DateTimeOffset Now { get; private set; }

    /// <summary>How long a claim lasts.</summary>
    public TimeSpan ClaimLease => options.Value.ClaimLease;

    [BindProperty]
    public string? Decision { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        MayDecide = (await authorization.AuthorizeAsync(User, VigilAuth.UiDecide)).Succeeded;
        var current = await store.Cases.GetAsync(id, cancellationToken);
        if (current is null)
        {
            return NoSuchCase(id);
        }

        // Opening a case claims nothing: a moderator claims it with the page's Claim button (a POST).
        CanDecide = MayDecide && HoldsLease(current);
        if (current.Verdict == VerdictKind.Violating && User.FindFirstValue(ClaimTypes.Name) is { } name)
        {
            HttpContext.Items[WellbeingPageFilter.Key] = await wellbeing.RecordAsync(name, id, cancellationToken);
        }

        await LoadAsync(current, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDecideAsync(long id, CancellationToken cancellationToken)
    {
        var allowed = await authorization.AuthorizeAsync(User, VigilAuth.UiDecide);
        if (!allowed.Succeeded)
        {
            VigilAuth.RecordRefusal(HttpContext, allowed.Failure);
            return Forbid();
        }

        MayDecide = true;
        var current = await store.Cases.GetAsync(id, cancellationToken);
        if (current is null)
        {
            return NoSuchCase(id);
        }

        string? error = null;
        if (!ReviewDecisionNames.TryParse(Decision, out var value))
        {
            error = "Choose a decision.";
        }
        else if (string.IsNullOrWhiteSpace(Reason) || Reason.Length > CaseEndpoints.MaxReasonLength)
        {
            error = $"Give a reason (1-{CaseEndpoints.MaxReasonLength} characters): it is recorded, audited and sent to the platform.";
        }
        else
        {
            var result = await workflow.DecideAsync(new DecideCase(id, value, Reason.Trim(), User.Actor(), policy.Current.Version), cancellationToken);
            if (result.Status == DecideStatus.Decided)
            {
                HttpContext.RequestServices.GetRequiredService<Webhooks.WebhookWakeUp>().Signal();
                return LocalRedirect($"/queue?decided={id}");
            }

            error = result.Status == DecideStatus.Closed
                ? "This case was already decided."
                : result.Status == DecideStatus.Appeal
                ? "This case is a complaint: it is decided through the complaints API (POST /v1/complaints/{id}/decision), by someone other than the contested decision's maker."
                : "Your claim on this case has expired or another reviewer holds it: claim it again (Claim, below) to decide it.";
        }

        Error = error;
        current = await store.Cases.GetAsync(id, cancellationToken) ?? current;
        CanDecide = HoldsLease(current);
        await LoadAsync(current, cancellationToken);
        return Page();
    }

    /// <summary>The Claim button: takes (or renews) the lease, then shows the case again (or why it could not).</summary>
    public async Task<IActionResult> OnPostClaimAsync(long id, CancellationToken cancellationToken)
    {
        var allowed = await authorization.AuthorizeAsync(User, VigilAuth.UiDecide);
        if (!allowed.Succeeded)
        {
            VigilAuth.RecordRefusal(HttpContext, allowed.Failure);
            return Forbid();
        }

        MayDecide = true;
        var claim = await workflow.ClaimAsync(id, User.Actor(), options.Value.ClaimLease, cancellationToken);
        switch (claim.Status)
        {
            case ClaimStatus.NotFound:
                return NoSuchCase(id);
            case ClaimStatus.Claimed:
                return LocalRedirect($"/cases/{id}");
        }

        Error = claim.Status == ClaimStatus.Closed ? "This case was already decided." : "Another reviewer holds this case.";
        await LoadAsync(claim.Case!, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostReleaseAsync(long id, CancellationToken cancellationToken)
    {
        await workflow.ReleaseAsync(id, User.Actor(), cancellationToken);
        return LocalRedirect("/queue");
    }

    /// <summary>Whether this reviewer holds a live lease on the open case.</summary>
    private bool HoldsLease(ReviewCase current) =>
        current.State == CaseState.Open && current.ClaimedBy == User.Actor() && current.LeaseExpiresAt > time.GetUtcNow();

    private static IActionResult NoSuchCase(long id) => Problems.Result(StatusCodes.Status404NotFound, "Not found", $"There is no case {id}.");

    private async Task LoadAsync(ReviewCase current, CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        Case = current;
        Item = (await store.Content.GetAsync(current.ContentId, cancellationToken))!;
        Decisions = await store.Cases.ListDecisionsAsync(current.Id, cancellationToken);
        Compliance = await compliance.ForAsync(current, cancellationToken);
        AuthorItems = Item.AuthorId is { } author ? await store.Content.ListByAuthorAsync(author, Item.Id, 10, cancellationToken) : [];
        Segments = Highlighter.Segments(Item.Text ?? "", Item.Result.Verdict.Evidence);
        ImageUnreadable = Item.Result.Signals
            .Where(s => s.Type == SignalKinds.Unreadable && s.Label == Vigil.Core.Content.PartTypes.Image)
            .Select(s => s.Evidence.Count > 0 ? s.Evidence[0].Detail : "the image does not decode")
            .FirstOrDefault();
        if (!CanDecide && current.ClaimedBy is { } holder && holder != User.Actor())
        {
            HeldBy = holder;
            LeaseUntil = current.LeaseExpiresAt;
        }
        else if (CanDecide)
        {
            LeaseUntil = current.LeaseExpiresAt;
        }
    }
}
