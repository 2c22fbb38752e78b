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
}
