using System.Text;

namespace Vigil.Media.Tests;

/// <summary>A binary PNM image (P5 grey or P6 RGB, maxval 255).</summary>
internal sealed record Pnm(int Width, int Height, bool IsGrey, byte[] Pixels)
{
    /// <summary>Luma as the reference computes it: v for grey (fillFloatLumaFromGrey), weighted RGB otherwise.</summary>
    public float[] Luma()
    {
        var luma = new float[Width * Height];
        for (var i = 0; i < luma.Length; i++)
        {
            luma[i] = IsGrey
                ? Pixels[i]
                : (0.299f * Pixels[3 * i]) + (0.587f * Pixels[(3 * i) + 1]) + (0.114f * Pixels[(3 * i) + 2]);
        }

        return luma;
    }

    /// <summary>RGB24 bytes (grey expanded to R = G = B).</summary>
    public byte[] Rgb24() => IsGrey ? Pixels.SelectMany(v => new[] { v, v, v }).ToArray() : Pixels;

    public static Pnm Read(string path) => Parse(File.ReadAllBytes(path));

    public static Pnm Parse(byte[] data)
    {
        var position = 0;
        var magic = Token(data, ref position);
        var isGrey = magic switch
        {
            "P5" => true,
            "P6" => false,
            _ => throw new InvalidDataException($"Not a binary PNM: {magic}"),
        };
        var width = int.Parse(Token(data, ref position));
        var height = int.Parse(Token(data, ref position));
        var maxval = int.Parse(Token(data, ref position));
        if (maxval != 255)
        {
            throw new InvalidDataException($"Only maxval 255 is supported, got {maxval}.");
        }

        position++; // the single whitespace byte after maxval
        var length = width * height * (isGrey ? 1 : 3);
        if (data.Length - position < length)
        {
            throw new InvalidDataException("PNM pixel data is truncated.");
        }

        return new Pnm(width, height, isGrey, data.AsSpan(position, length).ToArray());
    }

    private static string Token(byte[] data, ref int position)
    {
        while (true)
        {
            while (char.IsWhiteSpace((char)data[position]))
            {
                position++;
            }

            if (data[position] != '#')
            {
                break;
            }

            while (data[position] != '\n')
            {
                position++;
            }
        }

        var start = position;
        while (!char.IsWhiteSpace((char)data[position]))
        {
            position++;
        }

        return Encoding.ASCII.GetString(data, start, position - start);
    }
}
