using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Moderation;
using Vigil.Moderation.Banks;
using Vigil.Storage;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil bank create|import|export|list|enable|disable</c>: hash banks of known content, in Vigil's database. Every
/// change goes through the same use case as the API's (<see cref="HashBanks"/>) and is written to the database's audit log
/// (actor <c>cli:USER</c>) in the change's own transaction.
/// </summary>
internal static class BankCommand
{
    public static Command Create()
    {
        var command = new Command("bank", $"Manage hash banks: named sets of hashes ({VigilSignalTypes.Default.Names}) of known content, and allow-lists of known false positives.")
        {
            Database.Option(recursive: true),
            CreateCommand(),
            ImportCommand(),
            ExportCommand(),
            ListCommand(),
            EnableCommand("disable", enabled: false),
            EnableCommand("enable", enabled: true),
        };
        return command;
    }

    private static Argument<string> BankName() => new("name") { Description = "The bank's name (letters, digits, '-', '_', '.')." };

    private static string DatabasePath(ParseResult result) => result.GetValue<string>("--db") ?? Database.DefaultPath;

    private static HashBanks Banks(IVigilStore store) => new(store, VigilSignalTypes.Default, TimeProvider.System);

    private static Command CreateCommand()
    {
        var name = BankName();
        var allowList = new Option<bool>("--allow-list") { Description = "An allow-list of known false positives: a match here suppresses matches in every other bank." };
        var threshold = new Option<int?>("--pdq-threshold") { Description = "Largest PDQ distance that matches (0-63; default 31): the pdq setting 'threshold'." };
        var quality = new Option<int?>("--min-quality") { Description = "Images whose PDQ quality is under this are not matched in this bank (0-100; default 50): the pdq setting 'min_quality'." };
        var set = new Option<string[]>("--set") { Description = "A signal type's setting, TYPE.NAME=VALUE (repeatable), e.g. text_minhash.threshold=0.7.", AllowMultipleArgumentsPerToken = false };
        var onMatch = new Option<string?>("--on-match") { Description = "What a match asks the policy to do at least: review, hide_pending_review, remove or escalate (default: the policy decides; a match is reviewed at least)." };
        onMatch.AcceptOnlyFromAmong("review", "hide_pending_review", "remove", "escalate");
        var description = new Option<string?>("--description") { Description = "Where the bank comes from." };
        var disabled = new Option<bool>("--disabled") { Description = "Create it disabled." };
        var command = new Command("create", "Create a bank.") { name, allowList, threshold, quality, set, onMatch, description, disabled };
        command.SetAction(async (result, cancellationToken) =>
        {
            BankSettings settings;
            try
            {
                settings = Settings(result.GetValue(set) ?? [], result.GetValue(threshold), result.GetValue(quality));
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"vigil bank create: {e.Message}");
                return ExitCodes.Usage;
            }

            var bank = new HashBank(result.GetValue(name)!, !result.GetValue(disabled), result.GetValue(allowList), result.GetValue(description))
            {
                Settings = settings,
                OnMatch = result.GetValue(onMatch) is { } action ? ModerationActionNames.Parse(action) : null,
            };
            if (bank.Validate(VigilSignalTypes.Default) is { } problem)
            {
                Console.Error.WriteLine($"vigil bank create: {problem}.");
                return ExitCodes.Usage;
            }

            return await WithStoreAsync(result, "create", async store =>
            {
                var created = await Banks(store).CreateAsync(bank, Database.Actor(), cancellationToken);
                var pdq = created.SettingsFor(VigilSignalTypes.Default.Get("pdq")).ToJson();
                Console.WriteLine($"created bank '{created.Name}'{(created.AllowList ? " (allow-list)" : "")}: PDQ threshold {pdq["threshold"]}, minimum quality {pdq["min_quality"]}" +
                    $"{string.Concat(created.Settings.Types.Where(t => t != "pdq").Select(t => $", {t} {created.Settings.For(t)!.ToJsonString()}"))}" +
                    $"{(created.OnMatch is { } a ? $", a match asks for {a.ToWire()}" : "")}{(created.Enabled ? "" : ", disabled")}");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary>The settings of <c>--set TYPE.NAME=VALUE</c> (a number, true/false, or text) and the PDQ shorthands.</summary>
    private static BankSettings Settings(string[] assignments, int? pdqThreshold, int? minQuality)
    {
        var settings = BankSettings.None;
        void Set(string type, string name, JsonNode value)
        {
            var own = settings.For(type) ?? [];
            own[name] = value;
            settings = settings.With(type, own);
        }

        foreach (var assignment in assignments)
        {
            int dot = assignment.IndexOf('.', StringComparison.Ordinal);
            int equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (dot <= 0 || equals <= dot + 1)
            {
                throw new FormatException($"--set takes TYPE.NAME=VALUE (e.g. text_minhash.threshold=0.7), not '{assignment}'.");
            }

            string text = assignment[(equals + 1)..].Trim();
            JsonNode value = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? (number == Math.Floor(number) && Math.Abs(number) < int.MaxValue ? JsonValue.Create((int)number) : JsonValue.Create(number))
                : bool.TryParse(text, out var flag) ? JsonValue.Create(flag) : JsonValue.Create(text);
            Set(assignment[..dot].Trim().ToLowerInvariant(), assignment[(dot + 1)..equals].Trim(), value);
        }

        if (pdqThreshold is { } t)
        {
            Set("pdq", "threshold", JsonValue.Create(t));
        }

        if (minQuality is { } q)
        {
            Set("pdq", "min_quality", JsonValue.Create(q));
        }

        return settings;
    }

    private static Command ImportCommand()
    {
        var name = BankName();
        var file = new Argument<string>("file") { Description = "The file to import ('-': standard input), or with --format documents a folder of .txt files (one document each)." };
        var format = new Option<string>("--format", "-f") { Description = "plain (one hash a line; 'TYPE HASH' or HASH,quality,path as vigil hash writes), te-csv (ThreatExchange/HMA CSV), tat-json (Tech Against Terrorism hash list), documents (texts, one a line: their text hashes are kept, never the texts); auto: from the content (JSON: tat-json; a header with signal_type and signal_str: te-csv; else plain).", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong(["auto", .. BankFileFormats.Names]);
        var signalType = new Option<string?>("--signal-type") { Description = "Type of the bare hashes of a plain list (default: the one type they look like; pdq for 64 hex digits)." };
        signalType.AcceptOnlyFromAmong([.. VigilSignalTypes.Default.All.Select(t => t.Name)]);
        var category = new Option<string?>("--category") { Description = $"Taxonomy category of entries that give none ({string.Join(", ", Taxonomy.All.Select(c => c.Id))})." };
        category.AcceptOnlyFromAmong([.. Taxonomy.All.Select(c => c.Id)]);
        var organisation = new Option<string?>("--organisation") { Description = "Organisation of entries that give none." };
        var ideology = new Option<string?>("--ideology") { Description = "Ideology of entries that give none." };
        var source = new Option<string?>("--source") { Description = "Source of entries that give none (default: the file name)." };
        var create = new Option<bool>("--create") { Description = "Create the bank (with default settings) if it does not exist." };
        var command = new Command("import", "Import hashes into a bank. Entries already there (same type and value) are updated; bad rows are reported with their line numbers and skipped.")
        {
            name, file, format, signalType, category, organisation, ideology, source, create,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            string bankName = result.GetValue(name)!;
            string path = result.GetValue(file)!;
            string formatName = result.GetValue(format)!;
            bool detect = formatName == "auto";
            var fileFormat = detect ? BankFileFormat.Plain : BankFileFormats.TryParse(formatName, out var f) ? f : BankFileFormat.Plain;
            var options = new BankImportOptions(
                VigilSignalTypes.Default,
                VigilSignalTypes.Default.TryGet(result.GetValue(signalType), out var plainType) ? plainType : null,
                new BankLabels(result.GetValue(organisation), result.GetValue(ideology), result.GetValue(category)),
                result.GetValue(source) ?? (path == "-" ? null : Path.GetFileName(path)));

            return await WithStoreAsync(result, "import", async store =>
            {
                var banks = Banks(store);
                if (await store.Banks.GetAsync(bankName, cancellationToken) is null)
                {
                    if (!result.GetValue(create))
                    {
                        Console.Error.WriteLine($"vigil bank import: there is no bank named '{bankName}' (create it with 'vigil bank create {bankName}', or pass --create).");
                        return ExitCodes.Usage;
                    }

                    await banks.CreateAsync(new HashBank(bankName), Database.Actor(), cancellationToken);
                }

                BankImportResult imported;
                if (fileFormat == BankFileFormat.Documents && Directory.Exists(path))
                {
                    var source = new BankImportSource(Database.Actor(), fileFormat, Path.GetFileName(path));
                    // A folder of texts: each .txt file (in name order) is one document, named by its number in the messages.
                    var texts = Directory.EnumerateFiles(path, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
                    imported = await banks.ImportAsync(
                        bankName,
                        BankImporter.ReadDocuments(texts.Select(File.ReadAllText), options),
                        source,
                        row => Console.Error.WriteLine($"{texts[(int)row.Line - 1]}: {row.Problem}; skipped"),
                        cancellationToken);
                }
                else
                {
                    Stream input;
                    try
                    {
                        input = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        Console.Error.WriteLine($"vigil bank import: cannot read '{path}': {e.Message}");
                        return ExitCodes.Fatal;
                    }

                    if (detect)
                    {
                        fileFormat = BankFormatDetector.Detect(input, out input);
                    }

                    await using (input)
                    {
                        var source = new BankImportSource(Database.Actor(), fileFormat, path == "-" ? null : Path.GetFileName(path));
                        imported = await banks.ImportAsync(
                            bankName,
                            BankImporter.Read(input, fileFormat, options),
                            source,
                            row => Console.Error.WriteLine($"{path}:{row.Line}: {row.Problem}; skipped"),
                            cancellationToken);
                    }
                }

                Console.WriteLine(
                    $"imported {(path == "-" ? "standard input" : path)} ({fileFormat.ToWire()}) into '{bankName}': {imported.Added} added, {imported.Updated} updated, " +
                    $"{imported.Removed} removed ({imported.DeletedUpstream} deleted upstream){(imported.BadRows > 0 ? $"; {imported.BadRows} bad row(s) skipped" : "")}");
                if (imported.BadRows > 0 && imported.Added + imported.Updated + imported.Removed == 0)
                {
                    Console.Error.WriteLine($"vigil bank import: nothing in {(path == "-" ? "standard input" : path)} could be imported: {BankFormatDetector.Advice(fileFormat, detect, "--format")}.");
                }

                return imported.BadRows > 0 ? ExitCodes.InputErrors : ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command ExportCommand()
    {
        var name = BankName();
        var output = new Option<string?>("--output", "-o") { Description = "File to write (default: standard output)." };
        var format = new Option<string>("--format", "-f") { Description = "te-csv, tat-json or plain; auto: by the output's extension, te-csv on standard output.", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong(["auto", .. BankFileFormats.ExportNames]);
        var signalType = new Option<string>("--signal-type") { Description = "The signal type of the hashes a plain list holds.", DefaultValueFactory = _ => "pdq" };
        signalType.AcceptOnlyFromAmong([.. VigilSignalTypes.Default.All.Select(t => t.Name)]);
        var command = new Command("export", "Write a bank's entries with their labels, in a form 'vigil bank import' (and ThreatExchange/TAT tools) read.") { name, output, format, signalType };
        command.SetAction(async (result, cancellationToken) =>
        {
            string bankName = result.GetValue(name)!;
            string? path = result.GetValue(output);
            string formatName = result.GetValue(format)!;
            var fileFormat = formatName != "auto" ? (BankFileFormats.TryParse(formatName, out var f) ? f : BankFileFormat.ThreatExchangeCsv)
                : path is null ? BankFileFormat.ThreatExchangeCsv : BankFileFormats.FromFileName(path);
            var plainType = VigilSignalTypes.Default.Get(result.GetValue(signalType)!).Name;
            return await WithStoreAsync(result, "export", async store =>
            {
                long total = (await store.Banks.CountEntriesAsync(bankName, cancellationToken)).Values.Sum();
                Stream stream;
                try
                {
                    stream = path is null ? Console.OpenStandardOutput() : File.Create(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"vigil bank export: cannot write '{path}': {e.Message}");
                    return ExitCodes.Fatal;
                }

                long written;
                await using (stream)
                {
                    written = BankExporter.Write(stream, store.Banks.GetEntriesAsync(bankName, cancellationToken).ToBlockingEnumerable(cancellationToken), fileFormat, VigilSignalTypes.Default, plainType);
                }

                Console.Error.WriteLine($"vigil bank export: {written} of {total} entries of '{bankName}' written ({fileFormat.ToWire()})" +
                    (written < total ? $"; a plain list holds only {plainType} hashes" : ""));
                return ExitCodes.Ok;
            });
        });
        return command;
    }


    private static Command ListCommand()
    {
        var command = new Command("list", "List the banks with their PDQ settings and entry counts per signal type.");
        command.SetAction(async (result, cancellationToken) => await WithStoreAsync(result, "list", async store =>
        {
            var types = VigilSignalTypes.Default;
            var pdqType = types.Get("pdq");
            var banks = await store.Banks.ListAsync(cancellationToken);
            if (banks.Count == 0)
            {
                Console.Error.WriteLine($"vigil bank list: no banks in {Moderation.Hosting.VigilStorage.Describe(DatabasePath(result))} (create one with 'vigil bank create NAME').");
                return ExitCodes.Ok;
            }

            List<string[]> rows = [["name", "enabled", "allow-list", "pdq-threshold", "min-quality", .. types.All.Select(t => t.Name), "updated"]];
            foreach (var bank in banks)
            {
                var counts = await store.Banks.CountEntriesAsync(bank.Name, cancellationToken);
                var pdq = bank.SettingsFor(pdqType).ToJson();
                rows.Add([
                    bank.Name, bank.Enabled ? "yes" : "no", bank.AllowList ? "yes" : "no", pdq["threshold"]!.ToJsonString(), pdq["min_quality"]!.ToJsonString(),
                    .. types.All.Select(t => counts.GetValueOrDefault(t.Name).ToString(CultureInfo.InvariantCulture)), bank.UpdatedAt.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture),
                ]);
            }

            var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
            foreach (var row in rows)
            {
                Console.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command EnableCommand(string verb, bool enabled)
    {
        var name = BankName();
        var command = new Command(verb, enabled ? "Enable a bank: its entries are matched again." : "Disable a bank: its entries are kept but not matched.") { name };
        command.SetAction(async (result, cancellationToken) => await WithStoreAsync(result, verb, async store =>
        {
            var updated = await Banks(store).UpdateAsync(result.GetValue(name)!, bank => bank with { Enabled = enabled }, Database.Actor(), cancellationToken);
            Console.WriteLine($"{(enabled ? "enabled" : "disabled")} bank '{updated.Name}'");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Opens the database and runs <paramref name="action"/>, turning store and database errors into messages.</summary>
    private static Task<int> WithStoreAsync(ParseResult result, string verb, Func<IVigilStore, Task<int>> action) =>
        Database.UseAsync(DatabasePath(result), $"vigil bank {verb}", action);
}
