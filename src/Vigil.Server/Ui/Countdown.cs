using System.Globalization;

namespace Vigil.Server.Ui;

/// <summary>How the UI shows a removal order's time left (the page's script updates it every second from
/// <c>data-deadline</c>).</summary>
public static class Countdown
{
    /// <summary>"42:10 left", "1:02:03 left", "overdue by 5:00".</summary>
    public static string Text(TimeSpan left)
    {
        var a = left.Duration();
        string clock = a.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)a.TotalHours}:{a.Minutes:00}:{a.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{a.Minutes}:{a.Seconds:00}");
        return left < TimeSpan.Zero ? $"overdue by {clock}" : $"{clock} left";
    }

    /// <summary>The deadline as the script reads it.</summary>
    public static string Attribute(DateTimeOffset deadline) => deadline.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time as the compliance pages show it (UTC).</summary>
    public static string Utc(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";
}
