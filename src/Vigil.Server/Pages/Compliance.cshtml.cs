using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Compliance;
using Vigil.Storage;

namespace Vigil.Server.Pages;

/// <summary>The compliance page: the DSA report of a range and the TCO report of the current year, removal orders
/// included. It only renders what <see cref="TransparencyReports"/> computes.</summary>
public sealed class ComplianceModel(IVigilStore store, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public string? Error { get; private set; }

    public TransparencyReport? Dsa { get; private set; }

    public TransparencyReport Tco { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        From ??= new DateTime(now.Year, 1, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        To ??= now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var reports = new TransparencyReports(store);
        if (DateOnly.TryParseExact(From, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            && DateOnly.TryParseExact(To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to) && to >= from)
        {
            Dsa = await reports.DsaAsync(
                new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), cancellationToken);
        }
        else
        {
            Error = "Give the first and last day as YYYY-MM-DD, the last not before the first.";
        }

        Tco = await reports.TcoAsync(now.Year, cancellationToken);
    }

    /// <summary>A bar's width (percent of the table's largest count) for the chart column.</summary>
    public static int Bar(ReportTable table, IReadOnlyList<string> row)
    {
        static double Value(IReadOnlyList<string> r) => double.TryParse(r[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
        double max = table.Rows.Select(Value).DefaultIfEmpty(0).Max();
        return max <= 0 ? 0 : (int)Math.Round(100 * Value(row) / max);
    }
}
