using System.CommandLine;
using Vigil.Core;
using Vigil.Media.Banks;
using Vigil.Storage.Banks;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil bank create|import|export|list|enable|disable</c>: hash banks of known content, in Vigil's database. Every
/// change is written to the database's audit log (actor <c>cli:USER</c>) in the change's own transaction.
/// </summary>
internal static class BankCommand
{
    public static Command Create()
    {
        var command = new Command("bank", "Manage hash banks: named sets of hashes (PDQ, MD5, SHA-256) of known content, and allow-lists of known false positives.")
        {
            BankDatabase.Option(),
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

    private static string DatabasePath(ParseResult result) => result.GetValue<string>("--db") ?? BankDatabase.DefaultPath;

    private static Command CreateCommand()
    {
        var name = BankName();
        var allowList = new Option<bool>("--allow-list") { Description = "An allow-list of known false positives: a match here suppresses matches in every other bank." };
        var threshold = new Option<int>("--pdq-threshold") { Description = "Largest PDQ distance that matches (0-63).", DefaultValueFactory = _ => HashBank.DefaultPdqThreshold };
        var quality = new Option<int>("--min-quality") { Description = "Images whose PDQ quality is under this are not matched in this bank (0-100).", DefaultValueFactory = _ => HashBank.DefaultMinQuality };
        var description = new Option<string?>("--description") { Description = "Where the bank comes from." };
        var disabled = new Option<bool>("--disabled") { Description = "Create it disabled." };
        var command = new Command("create", "Create a bank.") { name, allowList, threshold, quality, description, disabled };
        command.SetAction(async (result, cancellationToken) =>
        {
            var bank = new HashBank(result.GetValue(name)!, !result.GetValue(disabled), result.GetValue(allowList), result.GetValue(threshold), result.GetValue(quality), result.GetValue(description));
            if (bank.Validate() is { } problem)
            {
                Console.Error.WriteLine($"vigil bank create: {problem}.");
                return ExitCodes.Usage;
            }

            return await WithStoreAsync(result, "create", async store =>
            {
                var created = await store.CreateBankAsync(bank, BankDatabase.Actor(), cancellationToken);
                Console.WriteLine($"created bank '{created.Name}'{(created.AllowList ? " (allow-list)" : "")}: PDQ threshold {created.PdqThreshold}, minimum quality {created.MinQuality}{(created.Enabled ? "" : ", disabled")}");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command ImportCommand()
    {
        var name = BankName();
        var file = new Argument<string>("file") { Description = "The file to import ('-': standard input)." };
        var format = new Option<string>("--format", "-f") { Description = "plain (one hash a line), te-csv (ThreatExchange/HMA CSV), tat-json (Tech Against Terrorism hash list); auto: by extension (.csv, .json, else plain).", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong(["auto", .. BankFileFormats.Names]);
        var signalType = new Option<string?>("--signal-type") { Description = "Type of the bare hashes of a plain list: pdq, md5 or sha256 (default: md5 for 32 hex digits, else pdq)." };
        signalType.AcceptOnlyFromAmong("pdq", "md5", "sha256");
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
            var fileFormat = formatName == "auto" ? BankFileFormats.FromFileName(path) : BankFileFormats.TryParse(formatName, out var f) ? f : BankFileFormat.Plain;
            BankSignalType? plainType = BankSignalTypes.TryParse(result.GetValue(signalType), out var t) ? t : null;
            var options = new BankImportOptions(
                plainType,
                new BankLabels(result.GetValue(organisation), result.GetValue(ideology), result.GetValue(category)),
                result.GetValue(source) ?? (path == "-" ? null : Path.GetFileName(path)));

            return await WithStoreAsync(result, "import", async store =>
            {
                if (await store.GetBankAsync(bankName, cancellationToken) is null)
                {
                    if (!result.GetValue(create))
                    {
                        Console.Error.WriteLine($"vigil bank import: there is no bank named '{bankName}' (create it with 'vigil bank create {bankName}', or pass --create).");
                        return ExitCodes.Usage;
                    }

                    await store.CreateBankAsync(new HashBank(bankName), BankDatabase.Actor(), cancellationToken);
                }

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

                BankImportResult imported;
                await using (input)
                {
                    imported = await store.ImportAsync(
                        bankName,
                        BankImporter.Read(input, fileFormat, options),
                        new BankImportSource(BankDatabase.Actor(), fileFormat, path == "-" ? null : Path.GetFileName(path)),
                        row => Console.Error.WriteLine($"{path}:{row.Line}: {row.Problem}; skipped"),
                        cancellationToken);
                }

                Console.WriteLine(
                    $"imported {(path == "-" ? "standard input" : path)} ({fileFormat.ToWire()}) into '{bankName}': {imported.Added} added, {imported.Updated} updated, " +
                    $"{imported.Removed} removed ({imported.DeletedUpstream} deleted upstream){(imported.BadRows > 0 ? $"; {imported.BadRows} bad row(s) skipped" : "")}");
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
        format.AcceptOnlyFromAmong(["auto", .. BankFileFormats.Names]);
        var signalType = new Option<string>("--signal-type") { Description = "The hashes a plain list holds: pdq, md5 or sha256.", DefaultValueFactory = _ => "pdq" };
        signalType.AcceptOnlyFromAmong("pdq", "md5", "sha256");
        var command = new Command("export", "Write a bank's entries with their labels, in a form 'vigil bank import' (and ThreatExchange/TAT tools) read.") { name, output, format, signalType };
        command.SetAction(async (result, cancellationToken) =>
        {
            string bankName = result.GetValue(name)!;
            string? path = result.GetValue(output);
            string formatName = result.GetValue(format)!;
            var fileFormat = formatName != "auto" ? (BankFileFormats.TryParse(formatName, out var f) ? f : BankFileFormat.ThreatExchangeCsv)
                : path is null ? BankFileFormat.ThreatExchangeCsv : BankFileFormats.FromFileName(path);
            var plainType = BankSignalTypes.TryParse(result.GetValue(signalType), out var parsedType) ? parsedType : BankSignalType.Pdq;
            return await WithStoreAsync(result, "export", async store =>
            {
                var counts = await store.CountEntriesAsync(bankName, cancellationToken);
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
                    written = BankExporter.Write(stream, store.GetEntriesAsync(bankName, cancellationToken).ToBlockingEnumerable(cancellationToken), fileFormat, plainType);
                }

                Console.Error.WriteLine($"vigil bank export: {written} of {counts.Total} entries of '{bankName}' written ({fileFormat.ToWire()})" +
                    (written < counts.Total ? $"; a plain list holds only {plainType.ToWire()} hashes" : ""));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static readonly string[] ListHeader = ["name", "enabled", "allow-list", "pdq-threshold", "min-quality", "pdq", "md5", "sha256", "updated"];

    private static Command ListCommand()
    {
        var command = new Command("list", "List the banks with their settings and entry counts.");
        command.SetAction(async (result, cancellationToken) => await WithStoreAsync(result, "list", async store =>
        {
            var banks = await store.ListBanksAsync(cancellationToken);
            if (banks.Count == 0)
            {
                Console.Error.WriteLine($"vigil bank list: no banks in {DatabasePath(result)} (create one with 'vigil bank create NAME').");
                return ExitCodes.Ok;
            }

            var rows = new List<string[]> { ListHeader };
            foreach (var bank in banks)
            {
                var counts = await store.CountEntriesAsync(bank.Name, cancellationToken);
                rows.Add([
                    bank.Name, bank.Enabled ? "yes" : "no", bank.AllowList ? "yes" : "no", bank.PdqThreshold.ToString(), bank.MinQuality.ToString(),
                    counts.Pdq.ToString(), counts.Md5.ToString(), counts.Sha256.ToString(), bank.UpdatedAt.ToString("yyyy-MM-dd HH:mm'Z'"),
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
            string bankName = result.GetValue(name)!;
            var bank = await store.GetBankAsync(bankName, cancellationToken) ?? throw new HashBankException($"There is no bank named '{bankName}'.");
            var updated = await store.UpdateBankAsync(bank with { Enabled = enabled }, BankDatabase.Actor(), cancellationToken);
            Console.WriteLine($"{(enabled ? "enabled" : "disabled")} bank '{updated.Name}'");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Opens the database and runs <paramref name="action"/>, turning store and database errors into messages.</summary>
    private static Task<int> WithStoreAsync(ParseResult result, string verb, Func<IHashBankStore, Task<int>> action) =>
        BankDatabase.UseAsync(DatabasePath(result), $"vigil bank {verb}", action);
}
