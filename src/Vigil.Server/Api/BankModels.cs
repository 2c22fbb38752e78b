using Vigil.Media.Banks;
using Vigil.Storage.Banks;

namespace Vigil.Server.Api;

/// <summary>How many entries of each signal type a bank holds.</summary>
public sealed record BankCountsDto(long Pdq, long Md5, long Sha256, long Total)
{
    public static BankCountsDto From(HashBankCounts c) => new(c.Pdq, c.Md5, c.Sha256, c.Total);
}

/// <summary>A hash bank: its settings and entry counts.</summary>
/// <param name="AllowList">An allow-list of known false positives: a match in it suppresses the other banks' matches of the same content.</param>
/// <param name="PdqThreshold">Largest PDQ Hamming distance that matches (0-63).</param>
/// <param name="MinQuality">Images whose PDQ quality is under this (0-100) are not matched in this bank.</param>
public sealed record BankDto(
    string Name,
    bool Enabled,
    bool AllowList,
    int PdqThreshold,
    int MinQuality,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    BankCountsDto Entries)
{
    public static BankDto From(HashBank b, HashBankCounts counts) =>
        new(b.Name, b.Enabled, b.AllowList, b.PdqThreshold, b.MinQuality, b.Description, b.CreatedAt, b.UpdatedAt, BankCountsDto.From(counts));
}

/// <summary>A new bank (JSON). Only <paramref name="Name"/> is required.</summary>
/// <param name="Name">1-64 ASCII letters, digits, '-', '_' or '.'; unique regardless of case.</param>
/// <param name="Enabled">Default true.</param>
/// <param name="AllowList">Default false.</param>
/// <param name="PdqThreshold">0-63, default 31.</param>
/// <param name="MinQuality">0-100, default 50.</param>
/// <param name="Description">Where the bank comes from (at most 1000 characters).</param>
public sealed record NewBankRequest(
    string Name, bool? Enabled = null, bool? AllowList = null, int? PdqThreshold = null, int? MinQuality = null, string? Description = null);

/// <summary>Changes to a bank's settings (JSON): the fields given change, the others stay; a null or empty description clears it.</summary>
public sealed record BankUpdateRequest(bool? Enabled = null, bool? AllowList = null, int? PdqThreshold = null, int? MinQuality = null, string? Description = null);

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
/// <param name="SignalType">pdq, md5 or sha256.</param>
/// <param name="Value">The hash, lowercase hex.</param>
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
        e.Id, e.SignalType.ToWire(), e.Value, BankLabelsDto.From(e.LabelsOrNone), e.Source, e.ExternalId, BankEntryReader.OpinionToWire(e.Opinion),
        e.Confidence, e.FileType, e.CreatedOn, e.UpdatedOn, e.AddedAt);
}

/// <summary>A page of entries; <paramref name="NextAfter"/> is the <c>after</c> of the next page (null on the last).</summary>
public sealed record BankEntryListDto(IReadOnlyList<BankEntryDto> Items, long? NextAfter);

/// <summary>An entry to add (JSON; <c>POST /v1/banks/{name}/entries</c> takes an array of them).</summary>
/// <param name="SignalType">pdq, md5 or sha256.</param>
/// <param name="Value">The hash in hex (64 digits for pdq and sha256, 32 for md5).</param>
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
/// <param name="SignalType">Type of the bare hashes of a plain list: pdq, md5 or sha256 (default: md5 for 32 hex digits, else pdq).</param>
/// <param name="Category">Taxonomy category of entries that give none.</param>
/// <param name="Organisation">Organisation of entries that give none.</param>
/// <param name="Ideology">Ideology of entries that give none.</param>
/// <param name="Source">Source of entries that give none (default: the file's name).</param>
public sealed record BankImportForm(
    IFormFile File, string? Format = null, string? SignalType = null, string? Category = null, string? Organisation = null, string? Ideology = null, string? Source = null);
