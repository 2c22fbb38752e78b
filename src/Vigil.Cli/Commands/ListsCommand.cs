using System.CommandLine;
using Spectre.Console;
using Vigil.Text;
using Vigil.Text.Lexicon;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil lists</c>: import the UN list; show what the lists hold.</summary>
internal static class ListsCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("xml") { Description = "The UN Security Council Consolidated List XML (official schema)." };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the list. Default: lists/un-sc.csv in the data folder." };
        var import = new Command("import-un", "Import the terrorism-related regimes of the UN Security Council Consolidated List into Vigil's list format.") { source, output };
        import.SetAction(result => ImportUn(result.GetValue(source)!, result.GetValue(output)));

        var data = CommonOptions.Data();
        var show = new Command("show", "Count the entries and forms of every list.") { data };
        show.SetAction(result => Show(result.GetValue(data)));

        return new Command("lists", "Designation lists and coded terms.") { import, show };
    }

    private static int ImportUn(string source, string? output)
    {
        var console = CommonOptions.ErrorConsole();
        IReadOnlyList<DesignationRow> rows;
        try
        {
            using var stream = File.OpenRead(source);
            rows = UnSanctionsListImporter.Read(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            console.MarkupLineInterpolated($"[red]vigil lists import-un:[/] cannot read '{source}': {e.Message}");
            return ExitCodes.Fatal;
        }

        string path = output ?? Path.Combine(TextResources.RepositoryDirectory(), TextResources.ListsFolder, "un-sc.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (var writer = new StreamWriter(path))
        {
            ListFiles.WriteDesignations(writer, rows);
        }

        console.MarkupLineInterpolated($"[green]wrote[/] {path}: {rows.Count(r => r.Kind == "entity")} entities and {rows.Count(r => r.Kind == "individual")} individuals");
        return ExitCodes.Ok;
    }

    private static int Show(string? data)
    {
        var console = CommonOptions.ErrorConsole();
        TextResources resources;
        try
        {
            resources = TextResources.Load(data ?? TextResources.DefaultDirectory());
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            console.MarkupLineInterpolated($"[red]vigil lists show:[/] {e.Message}");
            return ExitCodes.Fatal;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("list").AddColumn("kind").AddColumn(new TableColumn("entries").RightAligned()).AddColumn(new TableColumn("forms").RightAligned());
        foreach (var group in resources.Entries.GroupBy(e => (e.List, e.Kind)).OrderBy(g => g.Key.List).ThenBy(g => g.Key.Kind))
        {
            table.AddRow(group.Key.List, group.Key.Kind, group.Count().ToString("N0"), group.Sum(e => e.Forms.Count).ToString("N0"));
        }

        AnsiConsole.Write(table);
        foreach (var problem in resources.Problems)
        {
            console.MarkupLineInterpolated($"[yellow]warning:[/] {problem}");
        }

        return resources.Problems.Count > 0 ? ExitCodes.InputErrors : ExitCodes.Ok;
    }
}
