using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Audit;
using Vigil.Storage;
using Vigil.Storage.Audit;

namespace Vigil.Server.Pages;

public sealed class AuditModel(IVigilStore store, AuditTrail audit) : PageModel
{
    /// <summary>Details longer than this are shown cut short, whole when opened.</summary>
    public const int ShortDetails = 80;

    private static readonly JsonSerializerOptions Readable = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public AuditVerification Verification { get; private set; } = null!;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Verification = await audit.VerifyAsync(cancellationToken);
        Entries = await store.Audit.ListAsync(200, null, cancellationToken);
    }

    /// <summary>The start of long details, not cutting a character in two.</summary>
    public static string Cut(string json)
    {
        int length = char.IsHighSurrogate(json[ShortDetails - 1]) ? ShortDetails - 1 : ShortDetails;
        return json[..length] + "…";
    }

    /// <summary>An entry's details (a JSON object) laid out to read, one field a line; as stored if they do not parse.
    /// The page encodes them as HTML.</summary>
    public static string Indented(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Readable);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
