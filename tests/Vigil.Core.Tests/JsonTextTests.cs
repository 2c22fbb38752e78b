using System.Text.Json;
using Vigil.Core.Formats;

namespace Vigil.Core.Tests;

public sealed class JsonTextTests
{
    private static string Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonText.ReadString(document.RootElement);
    }

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"a\\\\b \\/ \\\"q\\\" \\n\\t\\r\\b\\f \\u00e9\"", "a\\b / \"q\" \n\t\r\b\f é")]
    [InlineData("\"\\ud83d\\ude00\"", "\U0001F600")]
    public void Reads_valid_strings_as_the_standard_reader_does(string json, string expected) => Assert.Equal(expected, Read(json));

    [Theory]
    [InlineData("\"hi \\ud83d\"", "hi \uFFFD")]
    [InlineData("\"\\ude00 x\"", "\uFFFD x")]
    [InlineData("\"\\ud83d\\ud83d\\ude00 \\n\"", "\uFFFD\U0001F600 \n")]
    [InlineData("\"a\\udc00\\\\u0041\"", "a\uFFFD\\u0041")]
    public void Reads_lone_surrogates_as_one_replacement_character_each(string json, string expected) => Assert.Equal(expected, Read(json));

    [Theory]
    [InlineData("""{"text": "hi", "a\\b": 1, "\u00e9": [{"\ud83d\ude00": 2}]}""", null)]
    [InlineData("""{"text": "hi", "\ud800": 1}""", "\\ud800")]
    [InlineData("""{"text": {"t\\dm \ud83dext": 3}}""", "t\\\\dm \\ud83dext")]
    [InlineData("""[{"ok": 1}, {"x\udc00": 2}]""", "x\\udc00")]
    public void Names_with_an_unpaired_surrogate_escape_are_found_at_any_depth(string json, string? name)
    {
        // Found by fuzzing (tools/fuzz.sh scan-jsonl): such a name is valid JSON, but reading it, or looking up another
        // name of the same length, throws InvalidOperationException.
        using var document = JsonDocument.Parse(json);
        string? problem = JsonText.NameProblem(document.RootElement);
        if (name is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Equal($"the field name \"{name}\" has an unpaired surrogate escape (\\ud800-\\udfff without its other half)", problem);
        }
    }

    [Fact]
    public void Reads_bytes_that_are_not_utf8_as_replacement_characters()
    {
        // An encoded lone surrogate (ED A0 80) and a stray continuation byte (80) inside a string: JsonDocument does
        // not check them, and GetString throws on them.
        byte[] json = [.. "\"a"u8.ToArray(), 0xED, 0xA0, 0x80, (byte)'b', 0x80, .. "\\n\""u8.ToArray()];
        using var document = JsonDocument.Parse(json);
        string text = JsonText.ReadString(document.RootElement);
        Assert.StartsWith("a\uFFFD", text, StringComparison.Ordinal);
        Assert.EndsWith("b\uFFFD\n", text, StringComparison.Ordinal);
    }
}
