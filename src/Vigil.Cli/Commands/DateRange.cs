using System.CommandLine;
using System.Globalization;

namespace Vigil.Cli.Commands;

/// <summary><c>--from</c> and <c>--to</c>: days (UTC), both included.</summary>
internal static class DateRange
{
    public static Option<string?> From(bool required = false) => new("--from") { Description = "The first day (YYYY-MM-DD, UTC), included.", Required = required };

    public static Option<string?> To(bool required = false) => new("--to") { Description = "The last day (YYYY-MM-DD, UTC), included.", Required = required };

    /// <summary>The range as [start, end): the start of <paramref name="from"/>, the end of <paramref name="to"/>; an error
    /// message when a day is not a date or the range is backwards.</summary>
    public static (DateTimeOffset? Start, DateTimeOffset? End, string? Error) Parse(string? from, string? to)
    {
        DateTimeOffset? start = null, end = null;
        if (from is not null)
        {
            if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return (null, null, $"--from '{from}' is not a day (YYYY-MM-DD)");
            }

            start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        if (to is not null)
        {
            if (!DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return (null, null, $"--to '{to}' is not a day (YYYY-MM-DD)");
            }

            end = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        return start is not null && end is not null && end <= start ? (null, null, "--to is before --from") : (start, end, null);
    }
}
