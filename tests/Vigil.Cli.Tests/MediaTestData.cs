using System.Buffers.Binary;
using System.Diagnostics;

namespace Vigil.Cli.Tests;

/// <summary>Shared PDQ data ($VIGIL_SHARED/pdq, else ../shared/pdq beside the repository, else /work/shared/pdq) and image fixtures.</summary>
internal static class MediaTestData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        if (Environment.GetEnvironmentVariable("VIGIL_SHARED") is { Length: > 0 } shared)
        {
            return Path.Combine(shared, "pdq");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")) && Directory.Exists(Path.Combine(dir.FullName, "..", "shared", "pdq")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "pdq"));
            }
        }

        return "/work/shared/pdq";
    });

    public static string Pdq => Root.Value;

    public static string PathOf(string relative) => Path.Combine(Pdq, relative);

    public const string BridgeJpeg = "images/bridge-mods/aaa-orig.jpg";

    /// <summary>A JPEG that stops a third of the way through its data.</summary>
    public static byte[] Truncated()
    {
        var bytes = File.ReadAllBytes(PathOf(BridgeJpeg));
        return bytes[..(bytes.Length / 3)];
    }

    /// <summary>A JPEG whose frame header declares 65000x65000 pixels.</summary>
    public static byte[] HugeDeclaredSize()
    {
        var bytes = File.ReadAllBytes(PathOf("images/reg-test-input/labelme-subset/q0122.jpg"));
        for (int i = 2; i + 9 < bytes.Length; i++)
        {
            if (bytes[i] == 0xFF && bytes[i + 1] is 0xC0 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i + 5), 65000);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i + 7), 65000);
                return bytes;
            }
        }

        throw new InvalidOperationException("no frame header");
    }

    /// <summary>A PNG signature followed by garbage.</summary>
    public static byte[] CorruptPng() => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    /// <summary>Black text on white rendered by ImageMagick (its full path: another 'convert' may shadow it on PATH).</summary>
    public static void RenderText(string path, string text)
    {
        const string convert = "/usr/bin/convert";
        Assert.True(File.Exists(convert), "ImageMagick is needed for this test: apt-get install imagemagick (see .ci/run)");
        var start = new ProcessStartInfo(convert) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-size", "900x220", "xc:white", "-fill", "black", "-font", "DejaVu-Sans", "-pointsize", "44",
            "-gravity", "center", "-annotate", "+0+0", text, "-type", "TrueColor", path])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"convert failed: {error}");
    }

    public static int Distance(string a, string b)
    {
        int d = 0;
        for (int i = 0; i < a.Length; i++)
        {
            d += int.PopCount(Convert.ToInt32(a[i].ToString(), 16) ^ Convert.ToInt32(b[i].ToString(), 16));
        }

        return d;
    }
}
