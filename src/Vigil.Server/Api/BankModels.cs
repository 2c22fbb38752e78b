using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Core.Signals;
using Vigil.Moderation.Banks;

namespace Vigil.Server.Api;

/// <summary>A hash bank: its settings and entry counts.</summary>
/// <param name="AllowList">An allow-list of known false positives: a match in it suppresses the other banks' matches of the same content.</param>
/// <param name="PdqThreshold">Largest PDQ Hamming distance that matches (0-63): the pdq settings' threshold, shown here as it always was.</param>
/// <param name="MinQuality">Images whose PDQ quality is under this (0-100) are not matched in this bank: the pdq settings' min_quality.</param>
/// <param name="Settings">The bank's settings of every registered signal type that has any (defaults filled in), e.g.
/// <c>{"pdq": {"threshold": 31, "min_quality": 50}}</c>.</param>
/// <param name="OnMatch">What a match asks the policy to do at least (review, hide_pending_review, remove, escalate); null:
/// the policy decides (a match is reviewed at least).</param>
/// <param name="Entries">How many entries of each registered signal type it holds, and their total.</param>
public sealed record BankDto(
    string Name,
    bool Enabled,
    bool AllowList,
    string? OnMatch,
    int PdqThreshold,
    int MinQuality,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, JsonElement> Settings,
    IReadOnlyDictionary<string, long> Entries)
{
    public static BankDto From(HashBank b, IReadOnlyDictionary<string, long> counts, SignalTypeRegistry types)
    {
        var settings = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var type in types.All)
        {
            var json = b.SettingsFor(type).ToJson();
            if (json.Count > 0)
            {
                settings[type.Name] = JsonSerializer.SerializeToElement(json);
            }
        }

        var entries = types.All.ToDictionary(t => t.Name, t => counts.GetValueOrDefault(t.Name), StringComparer.Ordinal);
        entries["total"] = counts.Values.Sum();
        var pdq = settings.TryGetValue("pdq", out var p) ? p : default;
        return new(b.Name, b.Enabled, b.AllowList, b.OnMatch?.ToWire(), Int(pdq, "threshold"), Int(pdq, "min_quality"), b.Description, b.CreatedAt, b.UpdatedAt, settings, entries);
    }

    private static int Int(JsonElement settings, string name) =>
        settings.ValueKind == JsonValueKind.Object && settings.TryGetProperty(name, out var v) && v.TryGetInt32(out int n) ? n : 0;
}

/// <summary>A new bank (JSON). Only <paramref name="Name"/> is required.</summary>
/// <param name="Name">1-64 ASCII letters, digits, '-', '_' or '.'; unique regardless of case.</param>
/// <param name="Enabled">Default true.</param>
/// <param name="AllowList">Default false.</param>
/// <param name="PdqThreshold">0-63, default 31 (shorthand for settings.pdq.threshold).</param>
/// <param name="MinQuality">0-100, default 50 (shorthand for settings.pdq.min_quality).</param>
/// <param name="Settings">Settings per signal type, e.g. <c>{"pdq": {"threshold": 20}, "text_minhash": {"threshold": 0.7}}</c>.</param>
/// <param name="OnMatch">What a match asks the policy to do at least: review, hide_pending_review, remove or escalate
/// (default none: the policy decides; a match is reviewed at least).</param>
/// <param name="Description">Where the bank comes from (at most 1000 characters).</param>
public sealed record NewBankRequest(
    string Name, bool? Enabled = null, bool? AllowList = null, int? PdqThreshold = null, int? MinQuality = null,
    IReadOnlyDictionary<string, JsonObject>? Settings = null, string? OnMatch = null, string? Description = null);

/// <summary>Changes to a bank's settings (JSON): the fields given change, the others stay (a signal type's settings
/// object replaces its old one); a null or empty description clears it.</summary>
public sealed record BankUpdateRequest(
    bool? Enabled = null, bool? AllowList = null, int? PdqThreshold = null, int? MinQuality = null,
    IReadOnlyDictionary<string, JsonObject>? Settings = null, string? OnMatch = null, string? Description = null);

/// <summary>An entry's labels.</summary>
/// <param name="Category">A taxonomy category id (e.g. terrorism.propaganda): a match raises that category's score.</param>
/// <param name="Tags">Free tags without spaces.</param>
public sealed record BankLabelsDto(string? Organisation, string? Ideology, string? Category, IReadOnlyList<string> Tags)
{
    public static BankLabelsDto From(BankLabels l) => new(l.Organisation, l.Ideology, l.Category, l.TagList);
}

/// <summary>An entry's labels, as sent (every field optional).</summary>
/// <param name="Category">A taxonomy category id (e.g. terrorism.propaganda): a match raises that category's score.</param>
/// <param name="Tags">Free tags without spaces.</param>
public sealed record BankLabelsRequest(string? Organisation = null, string? Ideology = null, string? Category = null, IReadOnlyList<string>? Tags = null);

/// <summary>One entry of a bank.</summary>
/// <param name="Id">The entry's id in this bank (for paging with after=ID).</param>
/// <param name="SignalType">A registered signal type: pdq, md5, sha256, text_sha256, text_minhash...</param>
/// <param name="Value">The hash in the type's canonical form (lowercase hex).</param>
/// <param name="Opinion">positive, investigate or false_positive.</param>
/// <param name="Confidence">0-1; null means certain.</param>
public sealed record BankEntryDto(
    long Id,
    string SignalType,
    string Value,
    BankLabelsDto Labels,
    string? Source,
    string? ExternalId,
    string Opinion,
    double? Confidence,
    string? FileType,
    DateTimeOffset? CreatedOn,
    DateTimeOffset? UpdatedOn,
    DateTimeOffset AddedAt)
{
    public static BankEntryDto From(BankEntry e) => new(
        e.Id, e.SignalType, e.Value, BankLabelsDto.From(e.LabelsOrNone), e.Source, e.ExternalId, BankEntryReader.OpinionToWire(e.Opinion),
        e.Confidence, e.FileType, e.CreatedOn, e.UpdatedOn, e.AddedAt);
}

/// <summary>A page of entries; <paramref name="NextAfter"/> is the <c>after</c> of the next page (null on the last).</summary>
public sealed record BankEntryListDto(IReadOnlyList<BankEntryDto> Items, long? NextAfter);

/// <summary>An entry to add (JSON; <c>POST /v1/banks/{name}/entries</c> takes an array of them).</summary>
/// <param name="SignalType">A registered signal type: pdq, md5, sha256, text_sha256, text_minhash...</param>
/// <param name="Value">The hash (hex: 64 digits for pdq and sha256, 32 for md5).</param>
/// <param name="Labels">organisation, ideology, category (taxonomy id), tags.</param>
/// <param name="Opinion">positive (default), investigate or false_positive.</param>
/// <param name="Confidence">0-1; omitted means certain.</param>
/// <param name="CreatedOn">When the source created it (ISO 8601).</param>
/// <param name="UpdatedOn">When the source last changed it (ISO 8601).</param>
public sealed record BankEntryRequest(
    string SignalType,
    string Value,
    BankLabelsRequest? Labels = null,
    string? Source = null,
    string? ExternalId = null,
    string? Opinion = null,
    double? Confidence = null,
    string? FileType = null,
    DateTimeOffset? CreatedOn = null,
    DateTimeOffset? UpdatedOn = null);

/// <summary>A refused element of an entries array: its 0-based index and what is wrong with it.</summary>
public sealed record EntryProblemDto(int Index, string Problem);

/// <summary>A refused row of an import file: its 1-based line and what is wrong with it.</summary>
public sealed record LineProblemDto(long Line, string Problem);

/// <summary>What adding entries did: the good ones were added (or updated), the refused ones are listed.</summary>
/// <param name="BadRows">How many elements were refused.</param>
/// <param name="Problems">The first 100 refused elements.</param>
public sealed record BankEntriesAddedDto(long Added, long Updated, int BadRows, IReadOnlyList<EntryProblemDto> Problems);

/// <summary>What an import did.</summary>
/// <param name="Format">The format read: plain, te-csv or tat-json.</param>
/// <param name="Removed">Entries removed by the file's deletion records.</param>
/// <param name="DeletedUpstream">Deletion records in the file.</param>
/// <param name="BadRows">Rows skipped for a problem.</param>
/// <param name="Problems">The first 100 skipped rows, with their line numbers.</param>
public sealed record BankImportDto(string Format, long Added, long Updated, long Removed, long DeletedUpstream, long BadRows, IReadOnlyList<LineProblemDto> Problems)
{
    public static BankImportDto From(BankFileFormat format, BankImportResult r) => new(
        format.ToWire(), r.Added, r.Updated, r.Removed, r.DeletedUpstream, r.BadRows, [.. r.Problems.Select(p => new LineProblemDto(p.Line, p.Problem ?? ""))]);
}

/// <summary>The multipart form of an import (documentation of <c>POST /v1/banks/{name}/import</c>).</summary>
/// <param name="File">The hash list: plain, ThreatExchange CSV or Tech Against Terrorism JSON.</param>
/// <param name="Format">auto (default: by the file's extension, else by its content), plain, te-csv or tat-json.</param>
/// <param name="SignalType">Type of the bare hashes of a plain list (default: the one type whose hashes they look like; pdq for 64 hex digits).</param>
/// <param name="Category">Taxonomy category of entries that give none.</param>
/// <param name="Organisation">Organisation of entries that give none.</param>
/// <param name="Ideology">Ideology of entries that give none.</param>
/// <param name="Source">Source of entries that give none (default: the file's name).</param>
public sealed record BankImportForm(
    IFormFile File, string? Format = null, string? SignalType = null, string? Category = null, string? Organisation = null, string? Ideology = null, string? Source = null);
