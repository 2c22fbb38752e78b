using System.Globalization;
using System.Xml;

namespace Vigil.Text.Lexicon;

/// <summary>
/// Reads the UN Security Council Consolidated List (official XML schema,
/// https://scsanctions.un.org/resources/xml/en/consolidated.xml) and keeps the terrorism-related regimes: the
/// ISIL (Da'esh) and Al-Qaida list (1267/1989/2253) and the Taliban list (1988). Other regimes (DPRK, Libya, ...)
/// are not about terrorism and are left out.
/// </summary>
public static class UnSanctionsListImporter
{
    public const string SourceUrl = "https://scsanctions.un.org/resources/xml/en/consolidated.xml";

    private static readonly HashSet<string> TerrorismRegimes = new(StringComparer.OrdinalIgnoreCase) { "Al-Qaida", "Taliban" };

    public static IReadOnlyList<DesignationRow> Read(Stream xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true };
        using var reader = XmlReader.Create(xml, settings);
        string asOf = "";
        var rows = new List<DesignationRow>();
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.Name == "CONSOLIDATED_LIST")
            {
                string? generated = reader.GetAttribute("dateGenerated");
                if (generated is not null && DateTimeOffset.TryParse(generated, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                {
                    asOf = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                }
            }
            else if (reader.Name is "INDIVIDUAL" or "ENTITY")
            {
                bool individual = reader.Name == "INDIVIDUAL";
                using var subtree = reader.ReadSubtree();
                var row = ReadRecord(subtree, individual, asOf);
                if (row is not null)
                {
                    rows.Add(row);
                }
            }
        }

        return rows;
    }

    private static DesignationRow? ReadRecord(XmlReader reader, bool individual, string asOf)
    {
        var names = new string?[4];
        string? listType = null, reference = null, listedOn = null, originalScript = null, comments = null;
        var aliases = new List<string>();
        var places = new List<string>();
        string? aliasQuality = null;
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element || !IsValueElement(reader.Name))
            {
                reader.Read();
                continue;
            }

            switch (reader.Name)
            {
                case "FIRST_NAME": names[0] = Text(reader); break;
                case "SECOND_NAME": names[1] = Text(reader); break;
                case "THIRD_NAME": names[2] = Text(reader); break;
                case "FOURTH_NAME": names[3] = Text(reader); break;
                case "UN_LIST_TYPE": listType = Text(reader); break;
                case "REFERENCE_NUMBER": reference = Text(reader); break;
                case "LISTED_ON": listedOn = Text(reader); break;
                case "NAME_ORIGINAL_SCRIPT": originalScript = Text(reader); break;
                case "COMMENTS1": comments = Text(reader); break;
                case "QUALITY": aliasQuality = Text(reader); break;
                case "COUNTRY" or "CITY" or "STATE_PROVINCE":
                    if (Text(reader) is { } place)
                    {
                        places.Add(place);
                    }

                    break;
                case "ALIAS_NAME":
                    string? alias = Text(reader);
                    // Individuals' "Low" quality aliases are nicknames too vague to match on ("Haji Mudir").
                    if (!string.IsNullOrWhiteSpace(alias) && (!individual || !string.Equals(aliasQuality, "Low", StringComparison.OrdinalIgnoreCase)))
                    {
                        aliases.AddRange(SplitAlias(alias, individual));
                    }

                    aliasQuality = null;
                    break;
            }
        }

        if (listType is null || !TerrorismRegimes.Contains(listType))
        {
            return null;
        }

        string name = string.Join(' ', names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Trim()));
        if (name.Length == 0)
        {
            return null;
        }

        // "AFGHAN SUPPORT COMMITTEE (ASC)": the acronym in brackets is an alias too. "AL-HARAMAIN FOUNDATION (PAKISTAN)":
        // a bracketed place where the record's address is says which branch is meant, and is no alias: it would match
        // every post that names the country.
        var nameParts = SplitAlias(name, individual, places);
        if (nameParts.Count > 1)
        {
            aliases.InsertRange(0, nameParts.Skip(1));
        }

        if (!string.IsNullOrWhiteSpace(originalScript))
        {
            aliases.AddRange(originalScript.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        // An individual is matched on full names with at least two words besides particles (al, abu, bin, ...):
        // "Muhammad Amin" or "Abd al-Rahman" would match half a forum.
        var kept = aliases
            .Where(a => a.Length > 0 && (!individual || DistinctiveWords(a) >= 2))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        string regime = listType.Equals("Taliban", StringComparison.OrdinalIgnoreCase) ? "UN 1988 (Taliban) sanctions list" : "UN ISIL (Da'esh) and Al-Qaida sanctions list";
        return new DesignationRow(
            name,
            kept,
            individual ? "individual" : "entity",
            reference,
            listedOn,
            "un-sc",
            SourceUrl,
            asOf,
            regime);
    }

    private static readonly HashSet<string> NameParticles = new(StringComparer.OrdinalIgnoreCase)
    {
        "al", "el", "abu", "abou", "bin", "ibn", "ben", "bint", "abd", "abdul", "abdel", "ul", "ud", "ur", "ad", "ar", "as", "ash", "at", "az",
        "haji", "hajji", "mullah", "maulvi", "sheikh", "shaykh", "mohammad", "mohammed", "muhammad", "mohamed", "ahmad", "ahmed", "ali",
    };

    /// <summary>Whether <paramref name="qualifier"/> names, or is named in, one of <paramref name="places"/>, word for
    /// word: "KENYA" and "Kenya", "TANZANIA" and "United Republic of Tanzania", "BRANCH LOCATED IN ALBU KAMAL, SYRIAN ARAB
    /// REPUBLIC" and "Syrian Arab Republic".</summary>
    internal static bool NamesPlace(string qualifier, IEnumerable<string> places)
    {
        string padded = $" {Words(qualifier)} ";
        foreach (var place in places)
        {
            string words = $" {Words(place)} ";
            if (words.Length > 2 && (padded.Contains(words, StringComparison.Ordinal) || words.Contains(padded, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The letters and digits of <paramref name="text"/>, lower-cased, in words separated by single spaces.</summary>
    private static string Words(string text)
    {
        var words = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                words.Append(char.ToLowerInvariant(c));
            }
            else if (words.Length > 0 && words[^1] != ' ')
            {
                words.Append(' ');
            }
        }

        return words.ToString().TrimEnd();
    }

    private static int DistinctiveWords(string name) =>
        name.Split([' ', '-', '\u2019', '\'', '\u2018'], StringSplitOptions.RemoveEmptyEntries).Count(w => w.Length > 1 && !NameParticles.Contains(w));

    private static bool IsValueElement(string name) => name is "FIRST_NAME" or "SECOND_NAME" or "THIRD_NAME"
        or "FOURTH_NAME" or "UN_LIST_TYPE" or "REFERENCE_NUMBER" or "LISTED_ON" or "NAME_ORIGINAL_SCRIPT" or "COMMENTS1"
        or "QUALITY" or "ALIAS_NAME" or "COUNTRY" or "CITY" or "STATE_PROVINCE";

    /// <summary>Reads an element's text and moves past it.</summary>
    private static string? Text(XmlReader reader)
    {
        string value = reader.ReadElementContentAsString();
        return string.IsNullOrWhiteSpace(value) ? null : string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// Cleans one alias as the list writes it: "(original script)" markers and long bracketed comments dropped,
    /// short bracketed acronyms ("(HTS)") and bracketed lists ("(a; b; c)", or for an entity "(a, b)") kept as aliases of
    /// their own, bracketed <paramref name="places"/> (where the record's address is: "FOUNDATION (KENYA)") dropped, and
    /// an individual's "Surname, Given" turned round.
    /// </summary>
    internal static List<string> SplitAlias(string alias, bool individual, IReadOnlyCollection<string>? places = null)
    {
        places ??= [];
        alias = alias.Replace("(original script)", "", StringComparison.OrdinalIgnoreCase);
        var result = new List<string>();
        var outside = new System.Text.StringBuilder();
        int depth = 0;
        var inside = new System.Text.StringBuilder();
        foreach (char c in alias)
        {
            if (c == '(')
            {
                if (depth++ == 0)
                {
                    inside.Clear();
                    continue;
                }
            }
            else if (c == ')' && depth > 0)
            {
                if (--depth == 0)
                {
                    AddBracketed(inside.ToString(), individual, places, result);
                    continue;
                }
            }

            (depth > 0 ? inside : outside).Append(c);
        }

        if (depth > 0)
        {
            AddBracketed(inside.ToString(), individual, places, result);
        }

        foreach (var part in outside.ToString().Split(';'))
        {
            string main = Tidy(part);
            if (individual && main.Count(ch => ch == ',') == 1)
            {
                var pieces = main.Split(',', StringSplitOptions.TrimEntries);
                main = $"{pieces[1]} {pieces[0]}";
            }

            if (main.Length > 0)
            {
                result.Insert(0, main);
            }
        }

        return result;
    }

    private static void AddBracketed(string inside, bool individual, IReadOnlyCollection<string> places, List<string> result)
    {
        string text = Tidy(inside);
        if (text.Length == 0 || text.Equals("original script", StringComparison.OrdinalIgnoreCase) || NamesPlace(text, places))
        {
            return;
        }

        char[] separators = individual ? [';'] : [';', ','];
        if (text.IndexOfAny(separators) >= 0)
        {
            result.AddRange(text.Split(separators).Select(Tidy).Where(t => t.Length > 0));
        }
        else if (text.Length <= 12 && !text.Contains(' ', StringComparison.Ordinal))
        {
            result.Add(text); // an acronym
        }
        else if (text.Length <= 60 && !text.Contains("identity", StringComparison.OrdinalIgnoreCase) && !text.Contains("related", StringComparison.OrdinalIgnoreCase))
        {
            result.Add(text); // a bracketed alternative name
        }
    }

    private static string Tidy(string value) => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Trim(',', ';', ' ', '-', '–');
}
