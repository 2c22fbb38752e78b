using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Moderation.Banks;
using Vigil.Server.Auth;
using Vigil.Storage;
using Vigil.Storage.Banks;

namespace Vigil.Server.Api;

/// <summary>
/// Hash banks and their entries under <c>/v1/banks</c>: a key with <c>review</c> or <c>admin</c> reads, <c>admin</c>
/// changes (through <see cref="HashBanks"/>: validated, audited in the change's own transaction with the key as actor and
/// subject <c>bank:NAME</c>, and followed by a rebuild of the pipeline's matcher before the next submission).
/// </summary>
public static class BankEndpoints
{
    public const int MaxDescriptionLength = 1000;

    /// <summary>How many refused elements or rows an answer lists (all are counted).</summary>
    public const int MaxReportedProblems = 100;

    private static readonly string[] NewBankFields = ["name", "enabled", "allow_list", "pdq_threshold", "min_quality", "settings", "on_match", "description"];
    private static readonly string[] UpdateFields = ["enabled", "allow_list", "pdq_threshold", "min_quality", "settings", "on_match", "description"];

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
        banks.MapPost("/{name}/enable", (string name, HttpContext http, HashBanks banks, IVigilStore store, CancellationToken ct) =>
                SetEnabledAsync(name, true, http, banks, store, ct))
            .RequireAuthorization(VigilAuth.Admin)
            .WithName("EnableBank")
            .WithSummary("Enable a bank: its entries are matched again. Audited as bank.updated.")
            .Produces<BankDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        banks.MapPost("/{name}/disable", (string name, HttpContext http, HashBanks banks, IVigilStore store, CancellationToken ct) =>
                SetEnabledAsync(name, false, http, banks, store, ct))
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
            .WithSummary("Remove one entry, named by signal type (pdq, md5, sha256, text_sha256, text_minhash...) and hash. Audited as bank.entries_removed.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        banks.MapPost("/{name}/import", ImportAsync)
            .RequireAuthorization(VigilAuth.Admin)
            .Accepts<BankImportForm>("multipart/form-data")
            .WithName("ImportBank")
            .WithSummary("Import a hash list (multipart: 'file', and format auto|plain|te-csv|tat-json|documents, signal_type, category, organisation, ideology, source), as 'vigil bank import' does; documents are texts, one a line, of which only the text hashes are kept: good rows added or updated, deletion records applied, bad rows skipped and reported with their line numbers; 400 when no row is usable (nothing is imported). Audited as bank.imported.")
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
        catch (ArgumentException e)
        {
            return ApiProblemException.BadRequest(Sentence(e.Message.Split(" (Parameter", 2)[0])).ToResult();
        }
    }

    private static async Task<IResult> ListAsync(IVigilStore store, HashBanks banks, CancellationToken cancellationToken)
    {
        var list = new List<BankDto>();
        foreach (var bank in await store.Banks.ListAsync(cancellationToken))
        {
            list.Add(BankDto.From(bank, await store.Banks.CountEntriesAsync(bank.Name, cancellationToken), banks.SignalTypes));
        }

        return Results.Ok(list);
    }

    private static async Task<IResult> GetAsync(string name, IVigilStore store, HashBanks banks, CancellationToken cancellationToken) =>
        await store.Banks.GetAsync(name, cancellationToken) is { } bank ? Results.Ok(await DtoAsync(bank, store, banks, cancellationToken)) : NoSuchBank(name);

    private static async Task<BankDto> DtoAsync(HashBank bank, IVigilStore store, HashBanks banks, CancellationToken cancellationToken) =>
        BankDto.From(bank, await store.Banks.CountEntriesAsync(bank.Name, cancellationToken), banks.SignalTypes);

    private static async Task<IResult> CreateAsync(
        HttpContext http, HashBanks banks, IOptions<VigilServerOptions> options, CancellationToken cancellationToken)
    {
        using var body = await RequestBody.ReadJsonAsync(http.Request, options.Value.MaxRequestBytes, cancellationToken);
        var bank = Checked(() =>
        {
            var root = Object(body.RootElement, NewBankFields);
            string name = JsonFields.Text(root, "name", HashBank.MaxNameLength + 1) ?? throw new JsonFieldException("'name' is required");
            return new HashBank(name, JsonFields.Bool(root, "enabled") ?? true, JsonFields.Bool(root, "allow_list") ?? false, Description(root))
            {
                Settings = Settings(root, BankSettings.None),
                OnMatch = OnMatch(root, null),
            };
        });

        HashBank created;
        try
        {
            created = await banks.CreateAsync(bank, http.User.Actor(), cancellationToken);
        }
        catch (BankExistsException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: e.Message);
        }

        return Results.Created($"/v1/banks/{Uri.EscapeDataString(created.Name)}", BankDto.From(created, new Dictionary<string, long>(), banks.SignalTypes));
    }

    private static async Task<IResult> UpdateAsync(
        string name, HttpContext http, HashBanks banks, IVigilStore store, IOptions<VigilServerOptions> options, CancellationToken cancellationToken)
    {
        using var body = await RequestBody.ReadJsonAsync(http.Request, options.Value.MaxRequestBytes, cancellationToken);
        if (await store.Banks.GetAsync(name, cancellationToken) is null)
        {
            return NoSuchBank(name);
        }

        var root = Checked(() => Object(body.RootElement, UpdateFields));
        var updated = await banks.UpdateAsync(
            name,
            current => Checked(() => current with
            {
                Enabled = JsonFields.Bool(root, "enabled") ?? current.Enabled,
                AllowList = JsonFields.Bool(root, "allow_list") ?? current.AllowList,
                Description = root.TryGetProperty("description", out _) ? Description(root) : current.Description,
                Settings = Settings(root, current.Settings),
                OnMatch = OnMatch(root, current.OnMatch),
            }),
            http.User.Actor(),
            cancellationToken);
        return Results.Ok(await DtoAsync(updated, store, banks, cancellationToken));
    }

    private static async Task<IResult> SetEnabledAsync(string name, bool enabled, HttpContext http, HashBanks banks, IVigilStore store, CancellationToken cancellationToken)
    {
        var updated = await banks.UpdateAsync(name, current => current with { Enabled = enabled }, http.User.Actor(), cancellationToken);
        return Results.Ok(await DtoAsync(updated, store, banks, cancellationToken));
    }

    private static async Task<IResult> ListEntriesAsync(
        string name, IVigilStore store, CancellationToken cancellationToken, string? after = null, string? limit = null)
    {
        long afterId = Whole(after, "after", 0, 0, long.MaxValue);
        int pageSize = (int)Whole(limit, "limit", 100, 1, 1000);
        var items = await store.Banks.ListEntriesAsync(name, afterId, pageSize + 1, cancellationToken);
        long? next = items.Count > pageSize ? items[pageSize - 1].Id : null;
        return Results.Ok(new BankEntryListDto([.. items.Take(pageSize).Select(BankEntryDto.From)], next));
    }

    private static async Task<IResult> AddEntriesAsync(
        string name, HttpContext http, HashBanks banks, IVigilStore store, IOptions<VigilServerOptions> options, CancellationToken cancellationToken)
    {
        using var body = await RequestBody.ReadJsonAsync(http.Request, options.Value.MaxRequestBytes, cancellationToken);
        if (await store.Banks.GetAsync(name, cancellationToken) is not { } bank)
        {
            return NoSuchBank(name);
        }

        var (entries, problems) = BankEntryReader.Read(body.RootElement, banks.SignalTypes);
        if (entries.Count == 0)
        {
            return RowProblems($"None of the {problems.Count} entries is valid; nothing was added.", problems);
        }

        var audit = new BankChangeAudit(http.User.Actor(), "bank.entries_added", () => new Dictionary<string, object?> { ["bad_rows"] = problems.Count });
        var change = await banks.ChangeEntriesAsync(bank.Name, entries, [], audit, cancellationToken);
        return Results.Ok(new BankEntriesAddedDto(change.Added, change.Updated, problems.Count, [.. problems.Take(MaxReportedProblems)]));
    }

    private static async Task<IResult> RemoveEntryAsync(
        string name, string signal_type, string value, HttpContext http, HashBanks banks, IVigilStore store, CancellationToken cancellationToken)
    {
        if (!banks.SignalTypes.TryGet(signal_type, out var type))
        {
            return ApiProblemException.BadRequest($"The signal type must be one of {banks.SignalTypes.Names}; not '{signal_type}'.").ToResult();
        }

        if (type.Normalize(value, out var normalized) is { } problem)
        {
            return ApiProblemException.BadRequest(Sentence(problem)).ToResult();
        }

        if (await store.Banks.GetAsync(name, cancellationToken) is not { } bank)
        {
            return NoSuchBank(name);
        }

        var audit = new BankChangeAudit(http.User.Actor(), "bank.entries_removed", () => new Dictionary<string, object?>
        {
            ["signal_type"] = type.Name,
            ["value"] = normalized,
        });
        var change = await banks.ChangeEntriesAsync(bank.Name, [], [new BankEntryKey(type.Name, normalized)], audit, cancellationToken);
        return change.Removed == 0 ? NotFound($"The bank '{bank.Name}' has no {type.Name} entry {normalized}.") : Results.NoContent();
    }

    private static async Task<IResult> ImportAsync(
        string name, HttpContext http, HashBanks banks, IVigilStore store, IOptions<VigilServerOptions> options, CancellationToken cancellationToken)
    {
        var upload = await BankImportReader.ReadAsync(http.Request, options.Value, banks.SignalTypes, cancellationToken);
        if (await store.Banks.GetAsync(name, cancellationToken) is not { } bank)
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
                : RowProblems($"None of the {problems.Count} rows is usable, so nothing was imported: {BankFormatDetector.Advice(upload.Format, upload.Detected, "the form field 'format'")}.", problems);
        }

        var result = await banks.ImportAsync(bank.Name, rows, new BankImportSource(http.User.Actor(), upload.Format, upload.FileName), cancellationToken: cancellationToken);
        return Results.Ok(BankImportDto.From(upload.Format, result));
    }

    private static async Task<IResult> ExportAsync(
        string name, IVigilStore store, HashBanks banks, CancellationToken cancellationToken, string? format = null, string? signal_type = null)
    {
        var fileFormat = BankFileFormat.ThreatExchangeCsv;
        if (!string.IsNullOrEmpty(format) && (!BankFileFormats.ExportNames.Contains(format) || !BankFileFormats.TryParse(format, out fileFormat)))
        {
            return ApiProblemException.BadRequest($"'format' must be one of {string.Join(", ", BankFileFormats.ExportNames)}; not '{format}'.").ToResult();
        }

        string plainType = "pdq";
        if (!string.IsNullOrEmpty(signal_type))
        {
            if (!banks.SignalTypes.TryGet(signal_type, out var type))
            {
                return ApiProblemException.BadRequest($"'signal_type' must be one of {banks.SignalTypes.Names}; not '{signal_type}'.").ToResult();
            }

            plainType = type.Name;
        }

        if (await store.Banks.GetAsync(name, cancellationToken) is not { } bank)
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
                BankExporter.Write(buffer, store.Banks.GetEntriesAsync(bank.Name, cancellationToken).ToBlockingEnumerable(cancellationToken), fileFormat, banks.SignalTypes, plainType);
                await buffer.DrainBufferAsync(response, cancellationToken);
            },
            contentType,
            $"{bank.Name}.{extension}");
    }

    /// <summary>The <c>on_match</c> of a request: <paramref name="current"/> when absent, none when null.</summary>
    private static ModerationAction? OnMatch(JsonElement root, ModerationAction? current)
    {
        if (!root.TryGetProperty("on_match", out var value))
        {
            return current;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        string? name = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return name is "review" or "hide_pending_review" or "remove" or "escalate"
            ? ModerationActionNames.Parse(name)
            : throw new JsonFieldException($"'on_match' is review, hide_pending_review, remove, escalate or null, not {value.GetRawText()}");
    }

    /// <summary>
    /// The signal-type settings of a request: <paramref name="current"/> with each object of <c>settings</c> replacing its
    /// type's, then the shorthands <c>pdq_threshold</c> and <c>min_quality</c> set into the pdq settings.
    /// </summary>
    private static BankSettings Settings(JsonElement root, BankSettings current)
    {
        var settings = current;
        if (root.TryGetProperty("settings", out var all) && all.ValueKind != JsonValueKind.Null)
        {
            if (all.ValueKind != JsonValueKind.Object)
            {
                throw new JsonFieldException($"'settings' must be an object with one object per signal type, not {JsonFields.Kind(all)}");
            }

            foreach (var type in all.EnumerateObject())
            {
                if (type.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new JsonFieldException($"'settings.{type.Name}' must be an object, not {JsonFields.Kind(type.Value)}");
                }

                settings = settings.With(type.Name, JsonNode.Parse(type.Value.GetRawText())!.AsObject());
            }
        }

        foreach (var (field, key) in new[] { ("pdq_threshold", "threshold"), ("min_quality", "min_quality") })
        {
            if (JsonFields.WholeNumber(root, field) is { } value)
            {
                var pdq = settings.For("pdq") ?? [];
                pdq[key] = value;
                settings = settings.With("pdq", pdq);
            }
        }

        return settings;
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
