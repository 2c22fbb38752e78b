using Vigil.Text.Lexicon;

namespace Vigil.Text.Tests;

public class ListsTests
{
    [Fact]
    public void Designation_rows_without_a_name_are_reported_and_skipped()
    {
        var problems = new List<string>();
        var entries = ListFiles.ReadDesignations(new StringReader(
            "name,aliases,list\nAlpha Group,Alpha | AG One,uk-proscribed\n,orphan alias,us-fto\nBeta Front,,us-fto\n\"broken,\n"),
            "test.csv", problems);
        Assert.Equal(["Alpha Group", "Beta Front"], entries.Select(e => e.Name));
        Assert.Equal(["Alpha Group", "Alpha", "AG One"], entries[0].Forms);
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("test.csv:3:", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("test.csv:5:", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Coded_terms_need_a_known_category_and_strength()
    {
        var problems = new List<string>();
        var entries = ListFiles.ReadCodedTerms(new StringReader(
            "term,variants,category,strength\nalpha,a1 | a2,terrorism.support,strong\nbeta,,terrorism.nope,weak\ngamma,,hate,medium\n"),
            "terms.csv", problems);
        Assert.Single(entries);
        Assert.Equal(TermStrength.Strong, entries[0].Strength);
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void Imports_the_un_list_terrorism_regimes_from_the_official_xml()
    {
        string xml = Path.Combine(TestData.SharedData, "designations", "un_sc_consolidated_2024-09-26.xml");
        using var stream = File.OpenRead(xml);
        var rows = UnSanctionsListImporter.Read(stream);

        Assert.All(rows, r => Assert.Equal("un-sc", r.List));
        Assert.All(rows, r => Assert.Equal("2024-09-26", r.AsOf));
        Assert.DoesNotContain(rows, r => r.Reference!.StartsWith("KP", StringComparison.Ordinal)); // DPRK regime left out
        var isil = Assert.Single(rows, r => r.Reference == "QDe.115");
        Assert.Contains("Islamic State in Iraq and the Levant", isil.Aliases);
        var hts = Assert.Single(rows, r => r.Reference == "QDe.137");
        Assert.Contains("HTS", hts.Aliases);
        Assert.Contains("Hayat Tahrir al-Sham", hts.Aliases);
        Assert.DoesNotContain(hts.Aliases, a => a.Contains('(', StringComparison.Ordinal));

        // "AL-HARAMAIN FOUNDATION (PAKISTAN)": the bracket says where the branch is; as an alias it matched every post
        // naming the country.
        var branch = Assert.Single(rows, r => r.Reference == "QDe.104");
        Assert.Empty(branch.Aliases);
        Assert.DoesNotContain(rows, r => r.Aliases.Any(a => a is "KENYA" or "TANZANIA" or "UNION OF THE COMOROS" || a.Contains("SYRIAN ARAB REPUBLIC", StringComparison.Ordinal)));
        var southEastAsia = Assert.Single(rows, r => r.Reference == "QDe.169");
        Assert.Contains("ISIL-SEA", southEastAsia.Aliases);
    }

    [Theory]
    [InlineData("FOUNDATION (KENYA)", "Kenya", "FOUNDATION")]
    [InlineData("FOUNDATION (TANZANIA)", "United Republic of Tanzania", "FOUNDATION")]
    [InlineData("OFFICE (BRANCH LOCATED IN ALBU KAMAL, SYRIAN ARAB REPUBLIC)", "Syrian Arab Republic", "OFFICE")]
    [InlineData("TEHRIK-E TALIBAN PAKISTAN (TTP)", "Pakistan", "TEHRIK-E TALIBAN PAKISTAN|TTP")]
    [InlineData("STATE IN SOUTH-EAST ASIA (IS-SEA, IS-South East Asia)", "Philippines", "STATE IN SOUTH-EAST ASIA|IS-SEA|IS-South East Asia")]
    public void Drops_bracketed_places_and_splits_bracketed_lists_of_an_entity(string name, string place, string expected) =>
        Assert.Equal(expected.Split('|'), UnSanctionsListImporter.SplitAlias(name, individual: false, [place]));

    [Theory]
    [InlineData("Majeed, Abdul", true, "Abdul Majeed")]
    [InlineData("Name One (N1)", false, "Name One|N1")]
    [InlineData("Main (a; b c; d)", false, "Main|a|b c|d")]
    [InlineData("Someone (false identity related to a passport)", true, "Someone")]
    public void Splits_aliases_as_the_list_writes_them(string alias, bool individual, string expected) =>
        Assert.Equal(expected.Split('|'), UnSanctionsListImporter.SplitAlias(alias, individual));
}

internal static class TestData
{
    /// <summary>
    /// The labelled datasets: $VIGIL_SHARED/data, else ../shared/data next to the repository, else /work/shared/data.
    /// Missing data is an error, never a silent skip.
    /// </summary>
    public static string SharedData
    {
        get
        {
            var candidates = new List<string>();
            if (Environment.GetEnvironmentVariable("VIGIL_SHARED") is { Length: > 0 } fromEnvironment)
            {
                candidates.Add(Path.Combine(fromEnvironment, "data"));
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
                {
                    candidates.Add(Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data")));
                    break;
                }
            }

            candidates.Add("/work/shared/data");
            return candidates.FirstOrDefault(Directory.Exists)
                ?? throw new DirectoryNotFoundException($"The labelled datasets were not found (looked in {string.Join(", ", candidates)}); set VIGIL_SHARED.");
        }
    }
}
