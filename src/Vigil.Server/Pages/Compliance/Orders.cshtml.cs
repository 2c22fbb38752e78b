using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Compliance;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Webhooks;
using Vigil.Storage;
using Vigil.Storage.Compliance;

namespace Vigil.Server.Pages.Compliance;

/// <summary>Removal orders: the list with each clock, the Art 5 exposure, the deadline warnings, and the form to log a
/// new order (compliance officers and admins).</summary>
public sealed class OrdersModel(IVigilStore store, RemovalOrders orders, ComplianceSettings settings, PolicyHolder policy, WebhookWakeUp wakeUp, TimeProvider time) : PageModel
{
    public IReadOnlyList<RemovalOrder> Orders { get; private set; } = [];

    public (int Orders, bool Exposed) Exposure { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public RemovalOrders UseCase => orders;

    public long MaxDocumentBytes => settings.MaxOrderDocumentBytes;

    [BindProperty]
    public string? Reference { get; set; }

    [BindProperty(Name = "member_state")]
    public string? MemberState { get; set; }

    [BindProperty]
    public string? Authority { get; set; }

    [BindProperty(Name = "contact_point")]
    public string? ContactPoint { get; set; }

    [BindProperty(Name = "issued_at")]
    public string? IssuedAt { get; set; }

    [BindProperty(Name = "received_at")]
    public string? ReceivedAt { get; set; }

    [BindProperty]
    public List<string> Reasons { get; set; } = [];

    [BindProperty(Name = "withheld_until")]
    public string? WithheldUntil { get; set; }

    [BindProperty]
    public string? Locations { get; set; }

    [BindProperty]
    public IFormFile? Document { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ReceivedAt ??= Local(time.GetUtcNow());
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        byte[]? document = null;
        if (Document is { Length: > 0 } file)
        {
            if (file.Length > settings.MaxOrderDocumentBytes)
            {
                errors.Add($"document: at most {settings.MaxOrderDocumentBytes / (1024 * 1024)} MB.");
            }
            else
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, cancellationToken);
                document = buffer.ToArray();
            }
        }

        var issued = Parse(IssuedAt, "issued_at", errors);
        var received = Parse(ReceivedAt, "received_at", errors);
        var withheld = string.IsNullOrWhiteSpace(WithheldUntil) ? null : Parse(WithheldUntil, "withheld_until", errors);
        if (errors.Count == 0)
        {
            var request = new OrderRequest(
                Reference, MemberState, Authority, ContactPoint, issued, received, Reasons, withheld,
                (Locations ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), null, Document?.FileName);
            var (command, invalid) = OrderEndpoints.Command(request, document, User.Actor(), policy.Current.Version);
            errors.AddRange(invalid);
            if (command is not null)
            {
                var logged = await orders.LogAsync(command, cancellationToken);
                if (logged.Order is { } order)
                {
                    wakeUp.Signal();
                    return LocalRedirect($"/orders/{order.Id}?logged=1");
                }

                errors.AddRange(logged.Errors);
            }
        }

        Errors = errors;
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>A time for a <c>datetime-local</c> field, in UTC.</summary>
    public static string Local(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Parse(string? value, string field, List<string> errors)
    {
        if (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
        {
            return new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
        }

        errors.Add($"{field}: a date and time (UTC).");
        return null;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        Orders = await store.Compliance.ListOrdersAsync(openOnly: false, 200, cancellationToken);
        Exposure = await orders.ExposureAsync(cancellationToken);
    }
}
