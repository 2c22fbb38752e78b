using System.Text.Json;

namespace Vigil.Cli.Tests;

public class BankCommandTests
{
    private const string Pdq1 = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    private const string Md5 = "0123456789abcdef0123456789abcdef";

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Imports_each_format_reporting_bad_rows_by_line_and_keeping_the_rest()
    {
        using var temp = new TempFolder();
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "create", "tvec").ExitCode);

        temp.Write("list.txt", $"{Pdq1}\nzzzz\n{Md5}\n");
        var plain = VigilProcess.Run(temp.Path, "bank", "import", "tvec", "list.txt", "--category", "terrorism.emblem");
        Assert.Equal(1, plain.ExitCode);
        Assert.Contains("list.txt:2: ", plain.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 added, 0 updated", plain.Stdout, StringComparison.Ordinal);

        temp.Write("te.csv", $"signal_type,signal_str,collab,category,tags\npdq,{Pdq1},Collab,TRUE_POSITIVE,terrorism.propaganda\ntext,hello,Collab,TRUE_POSITIVE,\n");
        var csv = VigilProcess.Run(temp.Path, "bank", "import", "tvec", "te.csv");
        Assert.Equal(1, csv.ExitCode);
        Assert.Contains("te.csv:3: unknown signal type 'text'", csv.Stderr, StringComparison.Ordinal);
        Assert.Contains("0 added, 1 updated", csv.Stdout, StringComparison.Ordinal);

        temp.Write("tat.json", $"[\n{{\"hash_digest\": \"{Md5}\", \"algorithm\": \"MD5\", \"deleted\": true}},\n{{\"hash_digest\": \"abc\", \"algorithm\": \"PDQ\"}}\n]\n");
        var tat = VigilProcess.Run(temp.Path, "bank", "import", "tvec", "tat.json");
        Assert.Equal(1, tat.ExitCode);
        Assert.Contains("tat.json:3: a pdq hash is 64 hex digits", tat.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 removed", tat.Stdout, StringComparison.Ordinal);

        var list = Lines(VigilProcess.Run(temp.Path, "bank", "list").Stdout);
        Assert.StartsWith("name", list[0], StringComparison.Ordinal);
        Assert.Matches(@"^tvec\s+yes\s+no\s+31\s+50\s+1\s+0\s+0\s", list[1]);

        var export = VigilProcess.Run(temp.Path, "bank", "export", "tvec", "--format", "te-csv");
        Assert.Equal(0, export.ExitCode);
        var rows = Lines(export.Stdout);
        Assert.StartsWith("signal_type,signal_str,collab,category,tags", rows[0], StringComparison.Ordinal);
        Assert.StartsWith($"pdq,{Pdq1},Collab,TRUE_POSITIVE,terrorism.propaganda", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Imports_its_own_hash_output_and_tells_formats_by_content_not_name()
    {
        using var temp = new TempFolder();
        var hashed = VigilProcess.Run(temp.Path, "hash", MediaTestData.PathOf(MediaTestData.BridgeJpeg));
        Assert.Equal(0, hashed.ExitCode);
        temp.Write("hashes.csv", hashed.Stdout); // vigil hash x.jpg > hashes.csv: HASH,quality,path, no header
        var own = VigilProcess.Run(temp.Path, "bank", "import", "tvec", "hashes.csv", "--create");
        Assert.True(own.ExitCode == 0, own.Stderr);
        Assert.Contains("hashes.csv (plain) into 'tvec': 1 added", own.Stdout, StringComparison.Ordinal);

        // A ThreatExchange CSV and a TAT JSON list found by their content, whatever their names; standard input too.
        temp.Write("te.txt", $"signal_type,signal_str,collab,category,tags\nmd5,{Md5},Collab,TRUE_POSITIVE,\n");
        Assert.Contains("(te-csv) into 'tvec': 1 added", VigilProcess.Run(temp.Path, "bank", "import", "tvec", "te.txt").Stdout, StringComparison.Ordinal);
        temp.Write("tat.csv", $"[{{\"hash_digest\": \"{Md5}\", \"algorithm\": \"MD5\", \"deleted\": true}}]");
        Assert.Contains("(tat-json) into 'tvec': 0 added, 0 updated, 1 removed", VigilProcess.Run(temp.Path, "bank", "import", "tvec", "tat.csv").Stdout, StringComparison.Ordinal);
        var piped = VigilProcess.RunWithInput(temp.Path, $"signal_type,signal_str\nmd5,{Md5}\n", "bank", "import", "tvec", "-");
        Assert.Contains("standard input (te-csv) into 'tvec': 1 added", piped.Stdout, StringComparison.Ordinal);

        // A file nothing of which reads: how it was read, the formats there are and how to name one.
        temp.Write("odd.csv", "id;hash\n1;zzzz\n");
        var odd = VigilProcess.Run(temp.Path, "bank", "import", "tvec", "odd.csv");
        Assert.Equal(1, odd.ExitCode);
        Assert.Contains("nothing in odd.csv could be imported: it was read as plain (format auto", odd.Stderr, StringComparison.Ordinal);
        Assert.Contains("te-csv (ThreatExchange CSV with a signal_type,signal_str header), tat-json", odd.Stderr, StringComparison.Ordinal);
        Assert.Contains("name the file's with --format", odd.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_prints_bank_entry_distance_and_labels_and_honours_allow_lists_and_disabled_banks()
    {
        using var temp = new TempFolder();
        string db = Path.Combine(temp.Path, "banks", "test.db");
        string image = MediaTestData.PathOf(MediaTestData.BridgeJpeg);
        string hash = VigilProcess.Run(temp.Path, "hash", image).Stdout.Split(',')[0];
        temp.Write("tvec.txt", hash + "\n");
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "--db", db, "create", "tvec", "--pdq-threshold", "20").ExitCode);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "import", "tvec", "tvec.txt", "--db", db, "--category", "terrorism.emblem", "--organisation", "Example Org").ExitCode);

        var match = VigilProcess.Run(temp.Path, "match", image, "--db", db);
        Assert.Equal(0, match.ExitCode);
        var fields = Lines(match.Stdout).Single().Split('\t');
        Assert.Equal([image, "match", "tvec", "1", "pdq", "0", "category=terrorism.emblem; organisation=Example Org"], fields);

        // A near-duplicate (blurred) still matches, at its distance.
        var blurred = MediaTestData.PathOf("images/bridge-mods/blur-a-lot.jpg");
        var near = Lines(VigilProcess.Run(temp.Path, "match", blurred, "--db", db).Stdout).Single().Split('\t');
        Assert.True(int.Parse(near[5]) is > 0 and <= 20);

        // An allow-list match suppresses it, and says so.
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "create", "known-good", "--allow-list", "--db", db).ExitCode);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "import", "known-good", "tvec.txt", "--db", db).ExitCode);
        var allowed = VigilProcess.Run(temp.Path, "match", image, "--db", db, "--format", "json");
        var json = JsonDocument.Parse(Lines(allowed.Stdout).Single()).RootElement;
        Assert.Equal(0, json.GetProperty("matches").GetArrayLength());
        Assert.Equal("known-good", json.GetProperty("allow_matches")[0].GetProperty("bank").GetString());
        Assert.Equal("tvec", json.GetProperty("suppressed")[0].GetProperty("bank").GetString());
        Assert.Equal("terrorism.emblem", json.GetProperty("suppressed")[0].GetProperty("category").GetString());

        // Disabled banks are not matched; --bank matches one even when disabled.
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "disable", "known-good", "--db", db).ExitCode);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "disable", "tvec", "--db", db).ExitCode);
        Assert.Equal("", VigilProcess.Run(temp.Path, "match", image, "--db", db).Stdout);
        Assert.Contains("\tmatch\ttvec\t", VigilProcess.Run(temp.Path, "match", image, "--db", db, "--bank", "tvec").Stdout, StringComparison.Ordinal);
        Assert.Equal(2, VigilProcess.Run(temp.Path, "match", image, "--db", db, "--bank", "nope").ExitCode);
    }

    [Fact]
    public void Bank_changes_are_written_to_the_audit_log_and_the_chain_verifies()
    {
        using var temp = new TempFolder();
        string db = Path.Combine(temp.Path, "vigil.db");
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "create", "tvec", "--db", db).ExitCode);
        temp.Write("list.txt", $"{Pdq1}\nzzzz\n{Md5}\n");
        Assert.Equal(1, VigilProcess.Run(temp.Path, "bank", "import", "tvec", "list.txt", "--db", db).ExitCode);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "disable", "tvec", "--db", db).ExitCode);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "enable", "tvec", "--db", db).ExitCode);

        var verify = VigilProcess.Run(temp.Path, "audit", "verify", "--db", db);
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("audit log verified: 4 entries", verify.Stdout, StringComparison.Ordinal);

        var entries = Lines(VigilProcess.Run(temp.Path, "audit", "list", "--db", db).Stdout).Select(line => line.Split('\t')).Reverse().ToList();
        Assert.Equal(["bank.created", "bank.imported", "bank.updated", "bank.updated"], entries.Select(e => e[3]));
        Assert.All(entries, e => Assert.Equal(("cli:" + Environment.UserName, "bank:tvec"), (e[2], e[4])));
        var imported = JsonDocument.Parse(entries[1][5]).RootElement;
        Assert.Equal((2, 0, 1, "plain", "list.txt"), (
            imported.GetProperty("added").GetInt32(), imported.GetProperty("updated").GetInt32(), imported.GetProperty("bad_rows").GetInt32(),
            imported.GetProperty("format").GetString(), imported.GetProperty("file").GetString()));
        Assert.False(JsonDocument.Parse(entries[2][5]).RootElement.GetProperty("enabled").GetProperty("to").GetBoolean());
    }

    [Fact]
    public void Usage_errors_are_clear()
    {
        using var temp = new TempFolder();
        var bad = VigilProcess.Run(temp.Path, "bank", "create", "no spaces");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("a bank name may only hold", bad.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "create", "b").ExitCode);
        Assert.Contains("exists already", VigilProcess.Run(temp.Path, "bank", "create", "B").Stderr, StringComparison.Ordinal);
        Assert.Contains("no bank named 'other'", VigilProcess.Run(temp.Path, "bank", "import", "other", "x.txt").Stderr, StringComparison.Ordinal);
        Assert.Equal(3, VigilProcess.Run(temp.Path, "bank", "import", "b", "missing.txt").ExitCode);
        Assert.Equal(3, VigilProcess.Run(temp.Path, "match", "x.jpg", "--db", Path.Combine(temp.Path, "none.db")).ExitCode);
    }

    private const string Statement = "The annual gardening club meeting will be held in the community hall on Tuesday evening and all members are welcome to attend";
    private const string Edited = "the annual gardening club meeting is held in the community hall on tuesday evening, all new members are welcome to attend!";

    [Fact]
    public void Texts_banked_as_documents_match_their_edited_copies_in_match_and_scan()
    {
        using var temp = new TempFolder();
        temp.Write("statements.txt", $"{Statement}\n!!! ???\n");
        var import = VigilProcess.Run(temp.Path, "bank", "import", "texts", "statements.txt", "--format", "documents", "--create", "--category", "terrorism.propaganda");
        Assert.Equal(1, import.ExitCode); // a line without words has nothing to hash: reported by its number, the rest imported
        Assert.Contains("statements.txt:2: no words to hash", import.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 added", import.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("gardening", import.Stdout + import.Stderr, StringComparison.Ordinal); // texts are never echoed

        var export = VigilProcess.Run(temp.Path, "bank", "export", "texts", "--format", "te-csv").Stdout;
        Assert.DoesNotContain("gardening", export, StringComparison.Ordinal); // only hashes are kept
        Assert.Contains("text_minhash,", export, StringComparison.Ordinal);
        Assert.Contains("text_sha256,", export, StringComparison.Ordinal);

        temp.Write("post.txt", Edited);
        var match = VigilProcess.Run(temp.Path, "match", "post.txt");
        var fields = Lines(match.Stdout).Single().Split('\t');
        Assert.Equal(("post.txt", "match", "texts", "text_minhash"), (fields[0], fields[1], fields[2], fields[4]));
        Assert.True(double.Parse(fields[5], System.Globalization.CultureInfo.InvariantCulture) is > 0 and < 0.5); // the distance: 1 - similarity

        temp.Write("posts.jsonl", $"{{\"id\":\"p1\",\"text\":\"{Edited}\"}}\n{{\"id\":\"p2\",\"text\":\"the chess club meets on thursday in the library, bring a board if you have one\"}}\n");
        var scan = Lines(VigilProcess.Run(temp.Path, "scan", "posts.jsonl", "--quiet").Stdout).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.NotEqual("clear", scan[0].GetProperty("verdict").GetString());
        var evidence = scan[0].GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("signal").GetString() == "text_minhash");
        Assert.Contains("bank 'texts'", evidence.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((0, Edited.Length), (evidence.GetProperty("start").GetInt32(), evidence.GetProperty("end").GetInt32()));
        Assert.Equal("clear", scan[1].GetProperty("verdict").GetString());

        // A folder of .txt files: one document each.
        Directory.CreateDirectory(Path.Combine(temp.Path, "leaflets"));
        temp.Write("leaflets/one.txt", Statement);
        Assert.Contains("0 added, 2 updated", VigilProcess.Run(temp.Path, "bank", "import", "texts", "leaflets", "--format", "documents").Stdout, StringComparison.Ordinal);
    }
}
