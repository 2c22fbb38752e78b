using Vigil.Core.Formats;

namespace Vigil.Core.Tests;

public class CsvReaderTests
{
    private static List<CsvRecord> Read(string csv, char delimiter = ',') =>
        [.. new CsvReader(new StringReader(csv), delimiter).ReadAll()];

    [Fact]
    public void Reads_plain_fields()
    {
        var records = Read("id,text\n1,hello\n2,world\n");
        Assert.Equal(3, records.Count);
        Assert.Equal(["2", "world"], records[2].Fields);
        Assert.Equal(3, records[2].Line);
    }

    [Fact]
    public void Quoted_fields_keep_delimiters_quotes_and_line_breaks()
    {
        var records = Read("id,text\n1,\"a, b\"\n2,\"she said \"\"hi\"\"\"\n3,\"line one\nline two\"\n4,after\n");
        Assert.Equal("a, b", records[1].Fields[1]);
        Assert.Equal("she said \"hi\"", records[2].Fields[1]);
        Assert.Equal("line one\nline two", records[3].Fields[1]);
        Assert.Equal(4, records[3].Line);
        Assert.Equal(6, records[4].Line); // the line count goes on after a quoted newline
        Assert.All(records, r => Assert.Null(r.Error));
    }

    [Fact]
    public void Handles_crlf_and_a_last_line_without_newline()
    {
        var records = Read("a,b\r\n1,2\r\n3,\"x\r\ny\"");
        Assert.Equal(3, records.Count);
        Assert.Equal(["1", "2"], records[1].Fields);
        Assert.Equal("x\r\ny", records[2].Fields[1]);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public void Uses_the_given_delimiter(char delimiter)
    {
        string d = delimiter.ToString();
        var records = Read($"id{d}text\n1{d}\"x{d}y\"{d}z\n", delimiter);
        Assert.Equal(["1", $"x{d}y", "z"], records[1].Fields);
    }

    [Fact]
    public void Empty_fields_and_blank_lines()
    {
        var records = Read("a,b,c\n\n,,\n\n1,,3\n");
        Assert.Equal(3, records.Count);
        Assert.Equal(["", "", ""], records[1].Fields);
        Assert.Equal(["1", "", "3"], records[2].Fields);
    }

    [Fact]
    public void An_unterminated_quote_is_reported_not_thrown()
    {
        var records = Read("id,text\n1,\"never closed\n2,next\n");
        Assert.Equal(2, records.Count);
        Assert.NotNull(records[1].Error);
        Assert.Contains("unterminated", records[1].Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_reported_and_reading_goes_on()
    {
        var records = Read("id,text\n1,\"ok\"junk\n2,fine\n");
        Assert.Equal(3, records.Count);
        Assert.NotNull(records[1].Error);
        Assert.Null(records[2].Error);
        Assert.Equal("fine", records[2].Fields[1]);
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_is_literal()
    {
        var records = Read("a\n5\" screen\n");
        Assert.Equal("5\" screen", records[1].Fields[0]);
    }

    [Fact]
    public void Oversized_fields_are_reported()
    {
        var csv = new CsvReader(new StringReader("a\n" + new string('x', 100) + "\n"), ',', maxFieldLength: 10);
        var records = csv.ReadAll().ToList();
        Assert.NotNull(records[1].Error);
        Assert.Equal(10, records[1].Fields[0].Length);
    }

    [Fact]
    public void Writer_round_trips_through_reader()
    {
        var writer = new StringWriter();
        var csv = new CsvWriter(writer);
        string[] fields = ["plain", "with, comma", "with \"quotes\"", "multi\nline", ""];
        csv.WriteRecord(fields);
        var back = Read(writer.ToString());
        Assert.Equal(fields, back[0].Fields);
    }
}
