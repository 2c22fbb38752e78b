using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Wire;
using Vigil.Storage;

namespace Vigil.Server.Pages;

/// <summary>The record of the measures in force (UK OSA 2023 s.23), for compliance officers and admins, and its export
/// (the JSON of <c>GET /v1/admin/records</c>). It only renders what <see cref="MeasuresRecord"/> builds.</summary>
public sealed class RecordsModel(IVigilStore store, PolicyHolder policy, StatementSettings statements, ComplianceSettings compliance, TimeProvider time) : PageModel
{
    public MeasuresRecord Record { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Record = await MeasuresRecord.BuildAsync(store, policy.Current, statements, compliance, time, cancellationToken);

    /// <summary>The record as a JSON file to keep.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        var record = await MeasuresRecord.BuildAsync(store, policy.Current, statements, compliance, time, cancellationToken);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(record, WireJson.Options);
        return File(json, "application/json", $"vigil-records-{record.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HHmm'Z'", CultureInfo.InvariantCulture)}.json");
    }
}
