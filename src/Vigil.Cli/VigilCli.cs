using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Vigil.Cli.Commands;

namespace Vigil.Cli;

/// <summary>
/// The <c>vigil</c> command tree and the conventions every command follows, whoever wrote it: wrong usage exits with
/// <see cref="ExitCodes.Usage"/>, and help fits 80-100 columns.
/// </summary>
internal static class VigilCli
{
    /// <summary>Help is wrapped at the terminal's width, and at most this many columns (also when redirected).</summary>
    public const int HelpWidth = 100;

    /// <summary>An option whose values, listed as <c>&lt;a|b|c&gt;</c>, would be longer than this is shown as
    /// <c>&lt;NAME&gt;</c> in help, its values in its description.</summary>
    public const int MaxValueListLength = 24;

    public static RootCommand Create()
    {
        var root = new RootCommand("Vigil finds terrorist and violent-extremist content and hate speech, with evidence and legal basis.")
        {
            ScanCommand.Create(),
            TrainCommand.Create(),
            EvalCommand.Create(),
            ListsCommand.Create(),
            ServeCommand.Create(),
            UserCommand.Create(),
            KeyCommand.Create(),
            AuditCommand.Create(),
            HashCommand.Create(),
            BankCommand.Create(),
            MatchCommand.Create(),
            MigrateCommand.Create(),
        };
        ApplyHelpConventions(root);
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Wrong usage (an unknown command or option, a value an option does not
    /// take, a missing argument) is reported with the command's help and exits with <see cref="ExitCodes.Usage"/>.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, InvocationConfiguration configuration, CancellationToken cancellationToken)
    {
        var result = root.Parse(args);
        if (result.Action is ParseErrorAction)
        {
            // The errors and the help that follows them go to standard error: standard output carries only results.
            var usage = new InvocationConfiguration { Output = configuration.Error, Error = configuration.Error, EnableDefaultExceptionHandler = configuration.EnableDefaultExceptionHandler };
            await result.InvokeAsync(usage, cancellationToken);
            return ExitCodes.Usage;
        }

        return await result.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>Every command under <paramref name="command"/>, itself first, depth first.</summary>
    public static IEnumerable<Command> SelfAndDescendants(Command command) =>
        command.Subcommands.SelectMany(SelfAndDescendants).Prepend(command);

    /// <summary>The values an option accepts when it accepts only some (<c>AcceptOnlyFromAmong</c>); empty otherwise.</summary>
    public static IReadOnlyList<string> AcceptedValues(Option option) =>
        option.ValueType == typeof(bool) || option.ValueType == typeof(bool?) || option.CompletionSources.Count == 0
            ? []
            : [.. option.GetCompletions(CompletionContext.Empty).Select(c => c.Label)];

    /// <summary>
    /// Help readable at 80-100 columns: wrapped at <see cref="HelpWidth"/> at most, and options with long value lists
    /// named by a short placeholder (<c>--category &lt;CATEGORY&gt;</c>), their values in the description.
    /// </summary>
    private static void ApplyHelpConventions(RootCommand root)
    {
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction action)
            {
                int terminal = Console.IsOutputRedirected ? 0 : SafeWindowWidth();
                action.MaxWidth = terminal > 0 ? Math.Min(terminal, HelpWidth) : HelpWidth;
            }
        }

        foreach (var command in SelfAndDescendants(root).Where(c => c.Arguments.Count > 0))
        {
            command.Validators.Add(RejectUnknownOptions);
        }

        foreach (var option in SelfAndDescendants(root).SelectMany(c => c.Options).Distinct())
        {
            var values = AcceptedValues(option);
            if (option.HelpName is not null || values.Count == 0 || string.Join('|', values).Length <= MaxValueListLength)
            {
                continue;
            }

            option.HelpName = option.Name.TrimStart('-').ToUpperInvariant();
            string description = option.Description ?? "";
            if (values.Any(v => !description.Contains(v, StringComparison.Ordinal)))
            {
                option.Description = $"{description}{(description.Length > 0 ? " " : "")}One of: {string.Join(", ", values)}.";
            }
        }
    }

    /// <summary>
    /// An unknown option is wrong usage, also where the command takes arguments: the parser would take
    /// <c>vigil scan --verbose</c> as a file named <c>--verbose</c>. A file whose name starts with '-' is named
    /// <c>./-name</c>; <c>-</c> alone (standard input) is an argument.
    /// </summary>
    private static void RejectUnknownOptions(System.CommandLine.Parsing.CommandResult result)
    {
        foreach (var argument in result.Children.OfType<System.CommandLine.Parsing.ArgumentResult>())
        {
            foreach (var token in argument.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-' && !double.TryParse(t.Value, System.Globalization.CultureInfo.InvariantCulture, out _)))
            {
                result.AddError($"Unrecognized option '{token.Value}' (a file whose name starts with '-' is given as ./{token.Value}).");
            }
        }
    }

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
