using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Vigil.Media.Banks;
using Vigil.Server.Auth;
using Vigil.Server.Detection;
using Vigil.Storage.Banks;

namespace Vigil.Server.Api;

/// <summary>
/// Hash banks and their entries under <c>/v1/banks</c>: a key with <c>review</c> or <c>admin</c> reads, <c>admin</c>
/// changes. Every change is written to the audit log by the store, in the change's own transaction (actor the key,
/// subject <c>bank:NAME</c>), and makes the image analyzer rebuild its matcher before the next upload.
/// </summary>
public static class BankEndpoints
{
    public const int MaxDescriptionLength = 1000;

    /// <summary>How many refused elements or rows an answer lists (all are counted).</summary>
    public const int MaxReportedProblems = 100;

    private static readonly string[] NewBankFields = ["name", "enabled", "allow_list", "pdq_threshold", "min_quality", "description"];
    private static readonly string[] UpdateFields = ["enabled", "allow_list", "pdq_threshold", "min_quality", "description"];

    public static void Map(RouteGroupBuilder v1)
    {
        var banks = v1.MapGroup("/banks").WithTags("banks").AddEndpointFilter(AnswerProblemsAsync);
        banks.MapGet("/", ListAsync)
            .RequireAuthorization(VigilAuth.ReadBanks)
            .WithName("ListBanks")
            .WithSummary("Every hash bank, by name, with its settings and entry counts (review or admin scope).")
            .Produces<BankDto[]>();
        banks.MapPost("/", CreateAsync)
            .RequireAuthorization(VigilAuth.Admin)
            .Accepts<NewBankRequest>("application/json")
            .WithName("CreateBank")
            .WithSummary("Create a bank (admin scope); only 'name' is required. Audited as bank.created.")
            .Produces<BankDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        banks.MapGet("/{name}", GetAsync)
            .RequireAuthorization(VigilAuth.ReadBanks)
            .WithName("GetBank")
            .WithSummary("A bank with its settings and entry counts.")
            .Produces<BankDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        banks.MapPatch("/{name}", UpdateAsync)
            .RequireAuthorization(VigilAuth.Admin)
            .Accepts<BankUpdateRequest>("application/json")
            .WithName("UpdateBank")
            .WithSummary("Change a bank's settings: the fields given change, the others stay. Audited as bank.updated with each setting's old and new value.")
            .Produces<BankDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        banks.MapPost("/{name}/enable", (string name, HttpContext http, IHashBankStore store, HashBankChanges changes, CancellationToken ct) =>
                SetEnabledAsync(name, true, http, store, changes, ct))
            .RequireAuthorization(VigilAuth.Admin)
            .WithName("EnableBank")
            .WithSummary("Enable a bank: its entries are matched again. Audited as bank.updated.")
            .Produces<BankDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        banks.MapPost("/{name}/disable", (string name, HttpContext http, IHashBankStore store, HashBankChanges changes, CancellationToken ct) =>
                SetEnabledAsync(name, false, http, store, changes, ct))
            .RequireAuthorization(VigilAuth.Admin)
            .WithName("DisableBank")
            .WithSummary("Disable a bank: its entries are kept but not matched. Audited as bank.updated.")
            .Produces<BankDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        banks.MapGet("/{name}/entries", ListEntriesAsync)
            .RequireAuthorization(VigilAuth.ReadBanks)
            .WithName("ListBankEntries")
            .WithSummary("The bank's entries with their labels, in the order they were added: limit (1-1000, default 100); the next page with after=next_after.")
            .Produces<BankEntryListDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        banks.MapPost("/{name}/entries", AddEntriesAsync)
            .RequireAuthorization(VigilAuth.Admin)
            .Accepts<BankEntryRequest[]>("application/json")
            .WithName("AddBankEntries")
            .WithSummary("Add entries (a JSON array); an entry already there (same signal_type and value) is updated. As 'vigil bank import' does, bad elements are skipped and reported by index, the good ones added; 400 when none is good (nothing is added). Audited as bank.entries_added.")
            .Produces<BankEntriesAddedDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        banks.MapDelete("/{name}/entries/{signal_type}/{value}", RemoveEntryAsync)
            .RequireAuthorization(VigilAuth.Admin)
            .WithName("RemoveBankEntry")
            .WithSummary("Remove one entry, named by signal type (pdq, md5, sha256) and hash. Audited as bank.entries_removed.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        banks.MapPost("/{name}/import", ImportAsync)
            .RequireAuthorization(VigilAuth.Admin)
            .Accepts<BankImportForm>("multipart/form-data")
            .WithName("ImportBank")
            .WithSummary("Import a hash list (multipart: 'file', and format auto|plain|te-csv|tat-json, signal_type, category, organisation, ideology, source), as 'vigil bank import' does: good rows added or updated, deletion records applied, bad rows skipped and reported with their line numbers; 400 when no row is usable (nothing is imported). Audited as bank.imported.")
            .Produces<BankImportDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        banks.MapGet("/{name}/export", ExportAsync)
            .RequireAuthorization(VigilAuth.ReadBanks)
            .WithName("ExportBank")
            .WithSummary("Download the entries with their labels: format te-csv (default; text/csv), tat-json (application/json) or plain (text/plain; only the signal_type given, default pdq), which the import reads back.")
            .Produces(StatusCodes.Status200OK, null, "text/csv", "application/json", "text/plain")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async ValueTask<object?> AnswerProblemsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiProblemException problem)
        {
            return problem.ToResult();
        }
        catch (HashBankException e)
        {
            return NotFound(e.Message);
        }
    }

    private static async Task<IResult> ListAsync(IHashBankStore banks, CancellationToken cancellationToken)
    {
        var list = new List<BankDto>();
        foreach (var bank in await banks.ListBanksAsync(cancellationToken))
        {
            list.Add(BankDto.From(bank, await banks.CountEntriesAsync(bank.Name, cancellationToken)));
        }

        return Results.Ok(list);
    }

    private static async Task<IResult> GetAsync(string name, IHashBankStore banks, CancellationToken cancellationToken) =>
        await banks.GetBankAsync(name, cancellationToken) is { } bank
            ? Results.Ok(BankDto.From(bank, await banks.CountEntriesAsync(bank.Name, cancellationToken)))
            : NoSuchBank(name);

    private static async Task<IResult> CreateAsync(
        HttpContext http, IHashBankStore banks, HashBankChanges changes, IOptions<VigilServerOptions> options, CancellationToken cancellationToken)
    {
        using var body = await RequestBody.ReadJsonAsync(http.Request, options.Value.MaxRequestBytes, cancellationToken);
        var bank = Checked(() =>
        {
            var root = Object(body.RootElement, NewBankFields);
            string name = JsonFields.Text(root, "name", HashBank.MaxNameLength + 1) ?? throw new JsonFieldException("'name' is required");
            return new HashBank(
                name,
                JsonFields.Bool(root, "enabled") ?? true,
                JsonFields.Bool(root, "allow_list") ?? false,
                JsonFields.WholeNumber(root, "pdq_threshold") ?? HashBank.DefaultPdqThreshold,
                JsonFields.WholeNumber(root, "min_quality") ?? HashBank.DefaultMinQuality,
                Description(root));
        });
        if (bank.Validate() is { } problem)
        {
            return ApiProblemException.BadRequest(Sentence(problem)).ToResult();
        }

        HashBank created;
        try
        {
            created = await banks.CreateBankAsync(bank, http.User.Actor(), cancellationToken);
        }
        catch (HashBankException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: e.Message);
        }

        changes.Notify();
        return Results.Created($"/v1/banks/{Uri.EscapeDataString(created.Name)}", BankDto.From(created, new HashBankCounts(0, 0, 0)));
    }

    private static async Task<IResult> UpdateAsync(
        string name, HttpContext http, IHashBankStore banks, HashBankChanges changes, IOptions<VigilServerOptions> options, CancellationToken cancellationToken)
    {
        using var body = await RequestBody.ReadJsonAsync(http.Request, options.Value.MaxRequestBytes, cancellationToken);
        if (await banks.GetBankAsync(name, cancellationToken) is not { } current)
        {
            return NoSuchBank(name);
        }

        var next = Checked(() =>
        {
            var root = Object(body.RootElement, UpdateFields);
            return current with
            {
                Enabled = JsonFields.Bool(root, "enabled") ?? current.Enabled,
                AllowList = JsonFields.Bool(root, "allow_list") ?? current.AllowList,
                PdqThreshold = JsonFields.WholeNumber(root, "pdq_threshold") ?? current.PdqThreshold,
                MinQuality = JsonFields.WholeNumber(root, "min_quality") ?? current.MinQuality,
                Description = root.TryGetProperty("description", out _) ? Description(root) : current.Description,
            };
        });
        if (next.Validate() is { } problem)
        {
            return ApiProblemException.BadRequest(Sentence(problem)).ToResult();
        }

        var updated = await banks.UpdateBankAsync(next, http.User.Actor(), cancellationToken);
        changes.Notify();
        return Results.Ok(BankDto.From(updated, await banks.CountEntriesAsync(updated.Name, cancellationToken)));
    }

    private static async Task<IResult> SetEnabledAsync(
        string name, bool enabled, HttpContext http, IHashBankStore banks, HashBankChanges changes, CancellationToken cancellationToken)
    {
        if (await banks.GetBankAsync(name, cancellationToken) is not { } current)
        {
            return NoSuchBank(name);
        }

        var updated = await banks.UpdateBankAsync(current with { Enabled = enabled }, http.User.Actor(), cancellationToken);
        changes.Notify();
        return Results.Ok(BankDto.From(updated, await banks.CountEntriesAsync(updated.Name, cancellationToken)));
    }

    private static async Task<IResult> ListEntriesAsync(
        string name, IHashBankStore banks, CancellationToken cancellationToken, string? after = null, string? limit = null)
    {
        long afterId = Whole(after, "after", 0, 0, long.MaxValue);
        int pageSize = (int)Whole(limit, "limit", 100, 1, 1000);
        var items = await banks.ListEntriesAsync(name, afterId, pageSize + 1, cancellationToken);
        long? next = items.Count > pageSize ? items[pageSize - 1].Id : null;
        return Results.Ok(new BankEntryListDto([.. items.Take(pageSize).Select(BankEntryDto.From)], next));
    }

    private static async Task<IResult> AddEntriesAsync(
        string name, HttpContext http, IHashBankStore banks, HashBankChanges changes, IOptions<VigilServerOptions> options, CancellationToken cancellationToken)
    {
        using var body = await RequestBody.ReadJsonAsync(http.Request, options.Value.MaxRequestBytes, cancellationToken);
        if (await banks.GetBankAsync(name, cancellationToken) is not { } bank)
        {
            return NoSuchBank(name);
        }

        var (entries, problems) = BankEntryReader.Read(body.RootElement);
        if (entries.Count == 0)
        {
            return RowProblems($"None of the {problems.Count} entries is valid; nothing was added.", problems);
        }

        var audit = new BankChangeAudit(http.User.Actor(), "bank.entries_added", () => new Dictionary<string, object?> { ["bad_rows"] = problems.Count });
        var change = await banks.ChangeEntriesAsync(bank.Name, entries, [], audit, cancellationToken);
        changes.Notify();
        return Results.Ok(new BankEntriesAddedDto(change.Added, change.Updated, problems.Count, [.. problems.Take(MaxReportedProblems)]));
    }

    private static async Task<IResult> RemoveEntryAsync(
        string name, string signal_type, string value, HttpContext http, IHashBankStore banks, HashBankChanges changes, CancellationToken cancellationToken)
    {
        if (!BankSignalTypes.TryParse(signal_type, out var type))
        {
            return ApiProblemException.BadRequest($"The signal type must be pdq, md5 or sha256, not '{signal_type}'.").ToResult();
        }

        if (BankSignalTypes.Normalize(type, value, out var normalized) is { } problem)
        {
            return ApiProblemException.BadRequest(Sentence(problem)).ToResult();
        }

        if (await banks.GetBankAsync(name, cancellationToken) is not { } bank)
        {
            return NoSuchBank(name);
        }

        var audit = new BankChangeAudit(http.User.Actor(), "bank.entries_removed", () => new Dictionary<string, object?>
        {
            ["signal_type"] = type.ToWire(),
            ["value"] = normalized,
        });
        var change = await banks.ChangeEntriesAsync(bank.Name, [], [new BankEntryKey(type, normalized)], audit, cancellationToken);
        if (change.Removed == 0)
        {
            return NotFound($"The bank '{bank.Name}' has no {type.ToWire()} entry {normalized}.");
        }

        changes.Notify();
        return Results.NoContent();
    }

    private static async Task<IResult> ImportAsync(
        string name, HttpContext http, IHashBankStore banks, HashBankChanges changes, IOptions<VigilServerOptions> options, CancellationToken cancellationToken)
    {
        var upload = await BankImportReader.ReadAsync(http.Request, options.Value, cancellationToken);
        if (await banks.GetBankAsync(name, cancellationToken) is not { } bank)
        {
            return NoSuchBank(name);
        }

        List<BankFileRow> rows;
        using (var file = new MemoryStream(upload.File, writable: false))
        {
            rows = [.. BankImporter.Read(file, upload.Format, upload.Options)];
        }

        if (!rows.Any(r => r.Problem is null))
        {
            var problems = rows.Select(r => new LineProblemDto(r.Line, r.Problem ?? "")).ToList();
            return problems.Count == 0
                ? ApiProblemException.BadRequest($"The file holds no hashes (read as {upload.Format.ToWire()}).").ToResult()
                : RowProblems($"None of the {problems.Count} rows is usable (read as {upload.Format.ToWire()}); nothing was imported.", problems);
        }

        var result = await banks.ImportAsync(bank.Name, rows, new BankImportSource(http.User.Actor(), upload.Format, upload.FileName), cancellationToken: cancellationToken);
        changes.Notify();
        return Results.Ok(BankImportDto.From(upload.Format, result));
    }

    private static async Task<IResult> ExportAsync(
        string name, IHashBankStore banks, CancellationToken cancellationToken, string? format = null, string? signal_type = null)
    {
        var fileFormat = BankFileFormat.ThreatExchangeCsv;
        if (!string.IsNullOrEmpty(format) && (!BankFileFormats.Names.Contains(format) || !BankFileFormats.TryParse(format, out fileFormat)))
        {
            return ApiProblemException.BadRequest($"'format' must be one of {string.Join(", ", BankFileFormats.Names)}; not '{format}'.").ToResult();
        }

        var plainType = BankSignalType.Pdq;
        if (!string.IsNullOrEmpty(signal_type) && !BankSignalTypes.TryParse(signal_type, out plainType))
        {
            return ApiProblemException.BadRequest($"'signal_type' must be pdq, md5 or sha256; not '{signal_type}'.").ToResult();
        }

        if (await banks.GetBankAsync(name, cancellationToken) is not { } bank)
        {
            return NoSuchBank(name);
        }

        var (contentType, extension) = fileFormat switch
        {
            BankFileFormat.ThreatExchangeCsv => ("text/csv; charset=utf-8", "csv"),
            BankFileFormat.TatJson => ("application/json", "json"),
            _ => ("text/plain; charset=utf-8", "txt"),
        };
        return Results.Stream(
            async response =>
            {
                // The exporters write synchronously: buffer (in memory, then a temporary file) and copy out asynchronously.
                await using var buffer = new FileBufferingWriteStream();
                BankExporter.Write(buffer, banks.GetEntriesAsync(bank.Name, cancellationToken).ToBlockingEnumerable(cancellationToken), fileFormat, plainType);
                await buffer.DrainBufferAsync(response, cancellationToken);
            },
            contentType,
            $"{bank.Name}.{extension}");
    }

    private static JsonElement Object(JsonElement root, string[] fields)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonFieldException($"the body must be a JSON object, not {JsonFields.Kind(root)}");
        }

        JsonFields.OnlyKnown(root, fields);
        return root;
    }

    private static string? Description(JsonElement root) =>
        JsonFields.Text(root, "description", MaxDescriptionLength) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    private static T Checked<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (JsonFieldException e)
        {
            throw ApiProblemException.BadRequest(Sentence(e.Message));
        }
    }

    private static long Whole(string? value, string name, long fallback, long min, long max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n >= min && n <= max
            ? n
            : throw ApiProblemException.BadRequest($"'{name}' must be a whole number from {min} to {max}, not '{value}'.");
    }

    /// <summary>"a bank name has 1-64 characters" → "A bank name has 1-64 characters.".</summary>
    private static string Sentence(string problem) => problem.Length == 0 ? problem : char.ToUpperInvariant(problem[0]) + problem[1..] + ".";

    private static IResult RowProblems<T>(string detail, IReadOnlyCollection<T> problems) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "The request is not valid",
        detail: detail,
        extensions: new Dictionary<string, object?> { ["problems"] = problems.Take(MaxReportedProblems).ToList() });

    private static IResult NoSuchBank(string name) => NotFound($"There is no bank named '{name}'.");

    private static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}
