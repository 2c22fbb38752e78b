using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;

namespace Vigil.Cli.Tests;

/// <summary>
/// The conventions every <c>vigil</c> command follows, checked over the whole command tree (a new command is covered
/// without a new test): wrong usage exits with 2, help fits 80-100 columns, and what the docs show exists.
/// </summary>
public partial class CliConventionsTests
{
    /// <summary>Every command with the words that run it (the root: none).</summary>
    private static IEnumerable<(Command Command, string[] Path)> Commands(Command command, string[]? path = null)
    {
        path ??= [];
        yield return (command, path);
        foreach (var sub in command.Subcommands)
        {
            foreach (var descendant in Commands(sub, [.. path, sub.Name]))
            {
                yield return descendant;
            }
        }
    }

    private static readonly Type[] Numbers = [typeof(int), typeof(int?), typeof(long), typeof(long?), typeof(double), typeof(double?)];

    /// <summary>Wrong command lines for every command: an unknown option; an unknown subcommand, or none, for a group;
    /// a missing argument or required option; a value an option does not take (one of a list, a number).</summary>
    private static List<string[]> WrongUsage(Command root)
    {
        var cases = new List<string[]>();
        foreach (var (command, path) in Commands(root))
        {
            cases.Add([.. path, "--no-such-option"]);
            if (command.Subcommands.Count > 0)
            {
                cases.Add([.. path, "no-such-command"]);
                if (command.Action is null)
                {
                    cases.Add(path);
                }

                continue;
            }

            var required = command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0).ToList();
            if (required.Count > 0 || command.Options.Any(o => o.Required))
            {
                cases.Add(path);
            }

            string[] complete = [.. path, .. required.Select(_ => "x")];
            foreach (var option in command.Options.Where(o => o is not HelpOption))
            {
                if (VigilCli.AcceptedValues(option).Count > 0)
                {
                    cases.Add([.. complete, option.Name, "no-such-value"]);
                }
                else if (Numbers.Contains(option.ValueType))
                {
                    cases.Add([.. complete, option.Name, "many"]);
                }
            }
        }

        return cases;
    }

    [Fact]
    public async Task Wrong_usage_of_every_command_exits_with_2_and_says_why_on_standard_error()
    {
        var root = VigilCli.Create();
        var cases = WrongUsage(root);
        Assert.True(cases.Count > 60, $"only {cases.Count} cases");
        Assert.Contains(cases, c => c.SequenceEqual(["bank", "import", "x", "x", "--format", "no-such-value"]));
        Assert.Contains(cases, c => c.SequenceEqual(["user", "add", "x", "--role", "no-such-value"]));
        Assert.Contains(cases, c => c.SequenceEqual(["eval", "--no-such-option"]));
        foreach (var args in cases)
        {
            // Only command lines that do not parse are run here: none of them runs a command.
            Assert.True(root.Parse(args).Errors.Count > 0, $"'vigil {string.Join(' ', args)}' parses");
            var output = new StringWriter();
            var error = new StringWriter();
            int code = await VigilCli.InvokeAsync(root, args, new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
            Assert.True(code == 2, $"'vigil {string.Join(' ', args)}' exits with {code}");
            Assert.Equal("", output.ToString());
            Assert.Contains("Usage:", error.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("scan", "posts.jsonl", "--format", "xml")]
    [InlineData("user", "add", "bob", "--role", "boss")]
    [InlineData("bank", "import", "tvec")]
    [InlineData("no-such-command")]
    [InlineData("match", "x.jpg", "--no-such-option")]
    public void Wrong_usage_exits_with_2_as_documented(params string[] args)
    {
        using var temp = new TempFolder();
        var run = VigilProcess.Run(temp.Path, args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("Usage:", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    public void Help_of_every_command_fits_in_80_to_100_columns(int width)
    {
        var root = VigilCli.Create();
        var help = (HelpAction)root.Options.OfType<HelpOption>().Single().Action!;
        Assert.True(help.MaxWidth <= VigilCli.HelpWidth);
        help.MaxWidth = width;
        foreach (var (command, path) in Commands(root))
        {
            var output = new StringWriter();
            Assert.Equal(0, root.Parse([.. path, "--help"]).Invoke(new InvocationConfiguration { Output = output }));
            var lines = output.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();
            var tooLong = lines.Where(l => l.Length > width).ToList();
            Assert.True(tooLong.Count == 0, $"vigil {string.Join(' ', path)} --help at {width} columns:\n{string.Join('\n', tooLong)}");

            // The option column stays narrow: a long list of values is named by a placeholder and listed in the description.
            foreach (var option in command.Options)
            {
                var values = VigilCli.AcceptedValues(option);
                string label = option.HelpName ?? string.Join('|', values);
                Assert.True(label.Length <= VigilCli.MaxValueListLength, $"vigil {string.Join(' ', path)} {option.Name} <{label}>");
                Assert.All(values, v => Assert.Contains(v, option.Description ?? "", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Bank_import_help_names_long_value_lists_by_placeholders()
    {
        var output = new StringWriter();
        var root = VigilCli.Create();
        ((HelpAction)root.Options.OfType<HelpOption>().Single().Action!).MaxWidth = 100;
        root.Parse(["bank", "import", "--help"]).Invoke(new InvocationConfiguration { Output = output });
        string help = output.ToString();
        Assert.Contains("  --category <CATEGORY>  ", help, StringComparison.Ordinal);
        Assert.Contains("  --signal-type <SIGNAL-TYPE>  ", help, StringComparison.Ordinal);
        Assert.DoesNotContain("terrorism.emblem|", help, StringComparison.Ordinal);
    }

    /// <summary>The <c>vigil …</c> command lines of a markdown file: in code blocks, whole lines up to a comment or
    /// another shell command; elsewhere, inline code spans that start with <c>vigil </c>.</summary>
    internal static IEnumerable<(int Line, string Command)> DocumentedCommands(string markdown)
    {
        bool inBlock = false;
        int number = 0;
        foreach (var line in markdown.Split('\n'))
        {
            number++;
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
                continue;
            }

            var pieces = inBlock ? [line] : InlineCode().Matches(line).Select(m => m.Groups[1].Value);
            foreach (var piece in pieces)
            {
                foreach (Match match in VigilCommand().Matches(piece))
                {
                    string command = piece[match.Index..];
                    int end = command.Length;
                    foreach (var stop in new[] { " #", " &&", " ||", " | ", " > ", " < ", " 2>", ";", "$(", ")" })
                    {
                        int at = command.IndexOf(stop, StringComparison.Ordinal);
                        end = at > 0 ? Math.Min(end, at) : end;
                    }

                    yield return (number, command[..end].Trim());
                }
            }
        }
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"(?<=^\s*|[|;&(]\s*)vigil (?=[a-z])")]
    private static partial Regex VigilCommand();

    /// <summary>Why a documented command line does not exist in <paramref name="root"/>, or null.</summary>
    internal static string? Check(RootCommand root, string commandLine)
    {
        var tokens = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(t => t.Trim('[', ']', ',', '.')).Where(t => t.Length > 0).ToList();
        Command command = root;
        var chain = new List<Command> { root };
        bool arguments = false;
        foreach (var token in tokens)
        {
            if (token.StartsWith('-') && token != "-")
            {
                string name = token.Split('=')[0];
                bool known = chain.Select((c, i) => (c, i)).Any(x => x.c.Options.Any(o => (x.i == chain.Count - 1 || o.Recursive) && (o.Name == name || o.Aliases.Contains(name))));
                if (!known)
                {
                    return $"'{Name(chain)}' has no option {name}";
                }

                continue;
            }

            if (arguments || command.Subcommands.Count == 0)
            {
                arguments = true;
                continue;
            }

            var names = token.Split('|');
            var missing = names.Where(n => command.Subcommands.All(s => s.Name != n)).ToList();
            if (missing.Count > 0)
            {
                return $"'{Name(chain)}' has no command {string.Join(", ", missing)}";
            }

            if (names.Length > 1)
            {
                break; // alternatives (vigil bank list|export): each exists; what follows belongs to one of them
            }

            command = command.Subcommands.Single(s => s.Name == token);
            chain.Add(command);
        }

        return null;
    }

    private static string Name(IEnumerable<Command> chain) => string.Join(' ', chain.Skip(1).Select(c => c.Name).Prepend("vigil"));

    [Fact]
    public void The_docs_show_only_commands_and_options_that_exist()
    {
        string top = Repository.Root;
        var files = new[] { Path.Combine(top, "README.md") }.Concat(Directory.EnumerateFiles(Path.Combine(top, "docs"), "*.md", SearchOption.AllDirectories));
        var root = VigilCli.Create();
        var problems = new List<string>();
        int count = 0;
        foreach (var file in files)
        {
            foreach (var (line, command) in DocumentedCommands(File.ReadAllText(file)))
            {
                count++;
                if (Check(root, command) is { } problem)
                {
                    problems.Add($"{Path.GetRelativePath(top, file)}:{line}: {command}: {problem}");
                }
            }
        }

        Assert.True(count > 50, $"only {count} command lines found in the docs");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_docs_check_finds_commands_and_options_that_do_not_exist()
    {
        var root = VigilCli.Create();
        var found = DocumentedCommands("Run `vigil serve --embeddings off`, or:\n```sh\nvigil scan posts.jsonl --format csv -o out.csv   # csv\nvigil bank list|export|nope\ncat x | vigil bank import tvec - --create && vigil audit verify --strict\n```\n").ToList();
        Assert.Equal(
            new (int, string)[] { (1, "vigil serve --embeddings off"), (3, "vigil scan posts.jsonl --format csv -o out.csv"), (4, "vigil bank list|export|nope"), (5, "vigil bank import tvec - --create"), (5, "vigil audit verify --strict") },
            found);
        Assert.Null(Check(root, "vigil serve --embeddings off"));
        Assert.Null(Check(root, "vigil scan posts.jsonl --format csv -o out.csv"));
        Assert.Null(Check(root, "vigil bank import tvec - --create --db x.db"));
        Assert.Equal("'vigil bank' has no command nope", Check(root, "vigil bank list|export|nope"));
        Assert.Equal("'vigil audit verify' has no option --strict", Check(root, "vigil audit verify --strict"));
        Assert.Equal("'vigil' has no command frobnicate", Check(root, "vigil frobnicate"));
    }

    [Fact]
    public void Serve_writes_the_first_run_commands_and_the_sign_in_address_unwrapped()
    {
        using var temp = new TempFolder();
        string folder = Path.Combine(temp.Path, "a-folder-with-a-name-long-enough-to-need-wrapping", "and-another");
        Directory.CreateDirectory(folder);
        string db = Path.Combine(folder, "vigil.db");
        const string Urls = "http://127.0.0.1:0";
        var run = VigilProcess.RunAndInterruptWhen(temp.Path, stderr => stderr.Contains("listening on", StringComparison.Ordinal), "serve", "--db", db, "--urls", Urls, "--embeddings", "off");
        var lines = run.Stderr.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.True(lines.Contains($"  vigil user add NAME --role admin --db {db}"), run.Stderr);
        Assert.Contains($"  vigil key create --name NAME --scope ingest --db {db}", lines);
        Assert.Contains(lines, l => l.EndsWith($" {Urls}/signin", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"listening on {Urls} (database {db});", StringComparison.Ordinal));
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void Cli_changes_to_users_and_keys_are_audited_as_cli_user()
    {
        using var temp = new TempFolder();
        Assert.Equal(0, VigilProcess.RunWithInput(temp.Path, "a password of some length\n", "user", "add", "alice", "--role", "admin", "--password-stdin").ExitCode);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "key", "create", "--name", "acme", "--scope", "ingest").ExitCode);
        var entries = VigilProcess.Run(temp.Path, "audit", "list").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Reverse().ToList();
        Assert.Equal(["user.created", "key.created"], entries.Select(e => e[3]));
        Assert.All(entries, e => Assert.Equal("cli:" + Environment.UserName, e[2]));
    }
}
