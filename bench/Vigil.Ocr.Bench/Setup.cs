using System.Diagnostics;

namespace Vigil.Ocr.Bench;

/// <summary>The machine and the Debian packages the figures depend on.</summary>
internal static class Setup
{
    /// <summary>Debian packages the benchmark uses (fonts render the images; tesseract reads them).</summary>
    public static readonly string[] Packages =
    [
        "tesseract-ocr", "tesseract-ocr-eng", "tesseract-ocr-ara", "tesseract-ocr-fra", "tesseract-ocr-osd", "libtesseract5",
        "imagemagick", "fonts-dejavu-core", "fonts-liberation", "fonts-noto-core", "fonts-hosny-amiri",
    ];

    /// <summary>Stops with what to install when ImageMagick or a font is missing.</summary>
    public static void Preflight()
    {
        if (!File.Exists(Renderer.Convert))
        {
            throw new ArgumentException($"ImageMagick is needed ({Renderer.Convert}): apt-get install imagemagick");
        }

        var missing = Renderer.MissingFonts();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"fonts missing: {string.Join(", ", missing)} (apt-get install the packages named)");
        }
    }

    /// <summary>"2 cores, AMD EPYC ..., 23 GiB RAM, Debian 12.11, .NET 10.0.x".</summary>
    public static string Machine()
    {
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        string memory = File.Exists("/proc/meminfo")
            ? $"{long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024 / 1024} GiB RAM"
            : "? RAM";
        string debian = File.Exists("/etc/debian_version") ? "Debian " + File.ReadAllText("/etc/debian_version").Trim() : System.Runtime.InteropServices.RuntimeInformation.OSDescription;
        return $"{System.Environment.ProcessorCount} cores ({cpu}), {memory}, {debian}, .NET {System.Environment.Version}";
    }

    /// <summary>The load averages of <c>/proc/loadavg</c> (1, 5 and 15 minutes), as <c>uptime</c> prints them.</summary>
    public static string Load() => File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>"package version" of each of <see cref="Packages"/> installed.</summary>
    public static IReadOnlyList<string> PackageVersions()
    {
        var start = new ProcessStartInfo("dpkg-query") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-W", "-f", "${Package} ${Version}\n", .. Packages])
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return ["(dpkg-query not available)"];
        }
    }
}
