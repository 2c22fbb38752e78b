using System.Text;
using Vigil.Cli.Scanning;

namespace Vigil.Cli.Tests;

public class ScanInputTests
{
    private static readonly ScanInputOptions Options = new();

    [Fact]
    public void An_oversized_line_is_skipped_without_reading_it_into_memory_and_the_next_line_survives()
    {
        var small = Options with { MaxDocumentChars = 100 };
        string big = "{\"id\":\"big\",\"text\":\"" + new string('x', 10_000) + "\"}";
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(big + "\n{\"id\":\"ok\",\"text\":\"fine\"}\n"));
        var items = ScanInput.ReadJsonLines(stream, "t.jsonl", small, null).Select(i => i.Parsed(small)).ToList();
        Assert.Equal(2, items.Count);
        Assert.Contains("longer than", items[0].Error, StringComparison.Ordinal);
        Assert.Equal("fine", items[1].Text);
    }

    [Fact]
    public void Text_longer_than_the_limit_is_an_error_record()
    {
        var item = ScanInput.ParseJsonLine("{\"id\":\"x\",\"text\":\"" + new string('y', 50) + "\"}", "f:1", Options with { MaxDocumentChars = 10 });
        Assert.Null(item.Text);
        Assert.Contains("longer than 10", item.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"id\":\"x\",\"text\":null}", "null, not a string")]
    [InlineData("{\"id\":\"x\",\"body\":\"t\"}", "missing field \"text\"")]
    public void Malformed_lines_explain_themselves(string line, string expected) =>
        Assert.Contains(expected, ScanInput.ParseJsonLine(line, "f:1", Options).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData("{\"t\\\\dmA9 \\ud83dext\": 3}")]
    [InlineData("{\"id\": 2, \"t\\ude00ext\": \"9\"}")]
    public void A_field_name_with_an_unpaired_surrogate_escape_is_an_error_on_its_line_not_a_crash(string line)
    {
        // Found by fuzzing (tools/fuzz.sh scan-jsonl): looking the text field up threw InvalidOperationException, which
        // stopped the whole scan.
        var item = ScanInput.ParseJsonLine(line, "f:1", Options);
        Assert.Null(item.Text);
        Assert.Contains("invalid JSON: the field name", item.Error, StringComparison.Ordinal);
        Assert.Contains("unpaired surrogate escape", item.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Half_an_emoji_cut_off_by_javascript_becomes_a_replacement_character_not_a_lost_post()
    {
        // JSON.stringify("hi 😀".slice(0, 4)) is "hi \ud83d": an escaped lone surrogate, which .NET refuses to read.
        var item = ScanInput.ParseJsonLine("{\"id\":\"a\\udc00b\",\"text\":\"hi \\ud83d\\n\\\"ok\\\" \\ud83d\\ude00 \\u00e9\"}", "f:1", Options);

        Assert.Null(item.Error);
        Assert.Equal("a\uFFFDb", item.Id);
        Assert.Equal("hi \uFFFD\n\"ok\" \U0001F600 é", item.Text);
    }

    [Fact]
    public void Custom_fields_and_numeric_ids()
    {
        var item = ScanInput.ParseJsonLine("{\"post_id\":42,\"body\":\"hi\"}", "f:1", Options with { TextField = "body", IdField = "post_id" });
        Assert.Equal("42", item.Id);
        Assert.Equal("hi", item.Text);
    }

    [Fact]
    public void Crlf_lines_and_a_byte_order_mark_are_handled()
    {
        var stream = new MemoryStream([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"id\":\"1\",\"text\":\"a\"}\r\n{\"id\":\"2\",\"text\":\"b\"}\r\n")]);
        var items = ScanInput.ReadJsonLines(stream, "t.jsonl", Options, null).Select(i => i.Parsed(Options)).ToList();
        Assert.Equal(["a", "b"], items.Select(i => i.Text));
    }
}
