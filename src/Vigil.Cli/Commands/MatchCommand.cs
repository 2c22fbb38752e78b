using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vigil.Cli.Scanning;
using Vigil.Core.Banks;
using Vigil.Core.Content;
using Vigil.Core.Signals;
using Vigil.Media;
using Vigil.Moderation;
using Vigil.Moderation.Banks;
using Vigil.Moderation.Pipeline;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil match FILE… [--bank NAME]</c>: matches images (and text files, <c>.txt</c>, by their text hashes) against the
/// enabled hash banks and prints each match, one
/// line each: <c>path, status, bank, entry, signal, distance, labels</c> separated by tabs, where status is
/// <c>match</c>, <c>allow</c> (an allow-list match) or <c>suppressed</c> (a match that an allow-list match cancels).
/// </summary>
internal static class MatchCommand
{
    private const int BatchSize = 64;

    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Image files, text files (.txt: one document each, matched by text_sha256 and text_minhash) or folders of them (MD5 and SHA-256 also match other files).", Arity = ArgumentArity.OneOrMore };
        var bank = new Option<string?>("--bank", "-b") { Description = "Only report matches in this bank (it is matched even when disabled; allow-lists still apply)." };
        var format = new Option<string>("--format", "-f") { Description = "text (a tab-separated line per match) or json (an object per file).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var threads = CommonOptions.Threads();
        var db = Database.Option();
        var command = new Command("match", "Match images and texts against the hash banks; print each match with its bank, entry, distance and labels.")
        {
            files, bank, format, threads, db,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(files)!, result.GetValue(bank), result.GetValue(format) == "json", Math.Max(1, result.GetValue(threads)), result.GetValue(db)!, cancellationToken));
        return command;
    }

    private sealed record Matched(string Path, IReadOnlyList<ContentHash> Hashes, BankMatchResult Result, string? Error);

    private static async Task<int> RunAsync(string[] paths, string? onlyBank, bool json, int threads, string dbPath, CancellationToken cancellationToken)
    {
        if (Moderation.Hosting.VigilStorage.IsMissing(dbPath))
        {
            Console.Error.WriteLine($"vigil match: there is no database at {dbPath}: create a bank first ('vigil bank create NAME', 'vigil bank import NAME FILE'), or use --db.");
            return ExitCodes.Fatal;
        }

        BankMatcher? loaded = null;
        int opened = await Database.UseAsync(dbPath, "vigil match", async store =>
        {
            loaded = await new HashBanks(store, VigilSignalTypes.Default, TimeProvider.System).LoadMatcherAsync(onlyBank, cancellationToken);
            return ExitCodes.Ok;
        }, cancellationToken);
        if (loaded is not { } matcher)
        {
            return opened;
        }

        if (matcher.Banks.Count == 0)
        {
            Console.Error.WriteLine($"vigil match: no enabled banks in {Moderation.Hosting.VigilStorage.Describe(dbPath)}; nothing can match.");
        }

        var decoder = new ImageDecoder();
        var hasher = new ContentHasher(VigilSignalTypes.Default, [new ImagePartReader(decoder)]);
        int files = 0, errors = 0, withMatches = 0, matches = 0;
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { NewLine = "\n" };
        try
        {
            await OrderedParallel.RunAsync(
                MediaFiles.ExpandImagesAndTexts(paths),
                (path, ct) => MatchAsync(path, decoder, hasher, matcher, ct),
                matched =>
                {
                    files++;
                    var shown = Filter(matched.Result, onlyBank);
                    if (shown.Matches.Count > 0)
                    {
                        withMatches++;
                        matches += shown.Matches.Count;
                    }

                    if (json)
                    {
                        stdout.Write(Json(matched, shown));
                        stdout.Write('\n');
                    }
                    else
                    {
                        WriteText(stdout, matched.Path, shown);
                    }

                    if (matched.Error is not null)
                    {
                        errors++;
                        stdout.Flush();
                        Console.Error.WriteLine($"vigil match: {matched.Path}: {matched.Error}{(matched.Hashes.Count == 0 ? "" : $"; only its {string.Join(" and ", matched.Hashes.Select(h => h.SignalType.ToUpperInvariant()))} were matched")}");
                    }
                },
                threads,
                BatchSize,
                cancellationToken);
        }
        catch (OperationCanceledException)
        {
            stdout.Flush();
            Console.Error.WriteLine("vigil match: cancelled");
            return ExitCodes.Cancelled;
        }

        stdout.Flush();
        Console.Error.WriteLine($"vigil match: {files} file(s), {withMatches} with matches ({matches} match(es)) in {matcher.Banks.Count} bank(s) of {matcher.EntryCount} entries" +
            (errors > 0 ? $"; {errors} file(s) could not be read as images" : ""));
        return errors > 0 ? ExitCodes.InputErrors : ExitCodes.Ok;
    }

    private static async ValueTask<Matched> MatchAsync(string path, ImageDecoder decoder, ContentHasher hasher, BankMatcher matcher, CancellationToken cancellationToken)
    {
        if (MediaFiles.IsText(path))
        {
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new Matched(path, [], BankMatchResult.None, MediaFiles.Describe(e));
            }

            var read = hasher.Match(ContentPart.FromText(text), matcher);
            return new Matched(path, read.Hashes, read.Banks, null);
        }

        byte[] bytes;
        try
        {
            bytes = await MediaFiles.ReadAsync(path, decoder, cancellationToken);
        }
        catch (Exception e) when (e is MediaDecodeException or IOException or UnauthorizedAccessException)
        {
            return new Matched(path, [], BankMatchResult.None, MediaFiles.Describe(e));
        }

        // A file that does not decode is still matched by the hashes of its bytes (a video, a file that is not an image).
        var result = hasher.Match(ContentPart.FromImage(bytes, path), matcher);
        return new Matched(path, result.Hashes, result.Banks, result.Unreadable);
    }

    /// <summary>With --bank, only what concerns that bank (and the allow-list matches that suppressed it).</summary>
    private static BankMatchResult Filter(BankMatchResult result, string? bank)
    {
        if (bank is null)
        {
            return result;
        }

        bool Mine(BankMatch m) => string.Equals(m.Bank.Name, bank, StringComparison.OrdinalIgnoreCase);
        var suppressed = result.Suppressed.Where(Mine).ToList();
        return new BankMatchResult(
            [.. result.Matches.Where(Mine)],
            [.. result.AllowMatches.Where(m => Mine(m) || suppressed.Count > 0)],
            suppressed,
            [.. result.Skipped.Where(b => string.Equals(b.Bank.Name, bank, StringComparison.OrdinalIgnoreCase))]);
    }

    private static void WriteText(StreamWriter output, string path, BankMatchResult result)
    {
        foreach (var (status, list) in new[] { ("match", result.Matches), ("allow", result.AllowMatches), ("suppressed", result.Suppressed) })
        {
            foreach (var m in list)
            {
                var labels = m.Entry.LabelsOrNone.ToString();
                output.Write(string.Create(CultureInfo.InvariantCulture, $"{path}\t{status}\t{m.Bank.Name}\t{m.Entry.Id}\t{m.Entry.SignalType}\t{m.Distance}\t{(labels.Length == 0 ? "-" : labels)}\n"));
            }
        }
    }

    private static string Json(Matched matched, BankMatchResult result)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, CommonOptions.JsonLines))
        {
            w.WriteStartObject();
            w.WriteString("path", matched.Path);
            if (matched.Error is not null)
            {
                w.WriteString("error", matched.Error);
            }

            foreach (var hash in matched.Hashes)
            {
                w.WriteString(hash.SignalType, hash.Value);
                if (hash.Quality is { } quality)
                {
                    w.WriteNumber("quality", quality);
                }
            }

            WriteMatches(w, "matches", result.Matches);
            WriteMatches(w, "allow_matches", result.AllowMatches);
            WriteMatches(w, "suppressed", result.Suppressed);
            w.WriteStartArray("below_min_quality");
            foreach (var bank in result.Skipped.Select(s => s.Bank.Name).Distinct(StringComparer.Ordinal))
            {
                w.WriteStringValue(bank);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteMatches(Utf8JsonWriter w, string name, IReadOnlyList<BankMatch> matches)
    {
        w.WriteStartArray(name);
        foreach (var m in matches)
        {
            var labels = m.Entry.LabelsOrNone;
            w.WriteStartObject();
            w.WriteString("bank", m.Bank.Name);
            w.WriteNumber("entry", m.Entry.Id);
            w.WriteString("signal", m.Entry.SignalType);
            w.WriteNumber("distance", m.Distance);
            w.WriteNumber("score", Math.Round(BankScoring.Score(m), 4));
            WriteOptional(w, "category", labels.Category);
            WriteOptional(w, "organisation", labels.Organisation);
            WriteOptional(w, "ideology", labels.Ideology);
            w.WriteStartArray("tags");
            foreach (var tag in labels.TagList)
            {
                w.WriteStringValue(tag);
            }

            w.WriteEndArray();
            WriteOptional(w, "source", m.Entry.Source);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
