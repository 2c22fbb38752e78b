namespace Vigil.Storage.Relational;

/// <summary>Times as the SQL backends keep them: Unix milliseconds (UTC), so that every backend reads back the same
/// instant to the millisecond and a copy between backends is exact.</summary>
internal static class UnixMs
{
    public static long Of(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static long? Of(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    public static DateTimeOffset From(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? From(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;
}
