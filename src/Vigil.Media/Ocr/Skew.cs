namespace Vigil.Media.Ocr;

/// <summary>
/// Finds how far the lines of text in a page are turned from horizontal, and turns the page back, for reading: a long
/// line turned by a few degrees is otherwise cut by Tesseract into pieces read out of order.
/// </summary>
/// <remarks>
/// The angle is the one whose projection profile of the ink is sharpest (the sum of squared counts of ink pixels per
/// row, rows taken across the page at that angle), searched from -<see cref="MaxDegrees"/> to +<see cref="MaxDegrees"/>.
/// Ink is the smaller side of an Otsu threshold of the luma, so light text on a dark ground counts too.
/// </remarks>
internal static class Skew
{
    /// <summary>Largest angle looked for, either way.</summary>
    public const double MaxDegrees = 8;

    /// <summary>Pages turned by less than this are left as they are.</summary>
    public const double MinDegrees = 0.5;

    private const double StepDegrees = 0.1;
    private const int MaxSide = 1200;
    private const int MaxInkPoints = 150_000;

    /// <summary>The angle in degrees by which the lines rise to the right (negative: they fall), and the colour of the ground.</summary>
    public static (double Degrees, byte R, byte G, byte B) Estimate(Page page)
    {
        int stride = Math.Max(1, (int)Math.Ceiling((double)Math.Max(page.Width, page.Height) / MaxSide));
        var pixels = page.Pixels.Span;
        int cols = (page.Width + stride - 1) / stride, rows = (page.Height + stride - 1) / stride;
        var luma = new byte[cols * rows];
        var histogram = new int[256];
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < cols; x++)
            {
                int i = (((y * stride) * page.Width) + (x * stride)) * 3;
                byte l = (byte)(((299 * pixels[i]) + (587 * pixels[i + 1]) + (114 * pixels[i + 2])) / 1000);
                luma[(y * cols) + x] = l;
                histogram[l]++;
            }
        }

        int threshold = Otsu(histogram, luma.Length);
        int dark = 0;
        for (int t = 0; t <= threshold; t++)
        {
            dark += histogram[t];
        }

        bool inkIsDark = dark <= luma.Length - dark;
        int ink = inkIsDark ? dark : luma.Length - dark;

        // The ground's colour: the mean of the pixels that are not ink.
        long r = 0, g = 0, b = 0, ground = 0;
        var points = new List<(float X, float Y)>(Math.Min(ink, MaxInkPoints));
        int keepEvery = Math.Max(1, ink / MaxInkPoints);
        int seen = 0;
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < cols; x++)
            {
                bool isInk = (luma[(y * cols) + x] <= threshold) == inkIsDark;
                if (isInk)
                {
                    if (seen++ % keepEvery == 0)
                    {
                        points.Add((x - (cols / 2f), y - (rows / 2f)));
                    }
                }
                else
                {
                    int i = (((y * stride) * page.Width) + (x * stride)) * 3;
                    r += pixels[i];
                    g += pixels[i + 1];
                    b += pixels[i + 2];
                    ground++;
                }
            }
        }

        var (gr, gg, gb) = ground == 0 ? ((byte)255, (byte)255, (byte)255) : ((byte)(r / ground), (byte)(g / ground), (byte)(b / ground));
        if (points.Count < 50)
        {
            return (0, gr, gg, gb);
        }

        int span = (int)Math.Ceiling(Math.Sqrt(((double)cols * cols) + ((double)rows * rows))) + 2;
        var bins = new int[span];
        double best = 0, bestScore = -1, level = -1;
        int steps = (int)Math.Round(MaxDegrees / StepDegrees);
        for (int k = -steps; k <= steps; k++)
        {
            double degrees = k * StepDegrees;
            double radians = degrees * Math.PI / 180;
            float sin = (float)Math.Sin(radians), cos = (float)Math.Cos(radians);
            Array.Clear(bins);
            foreach (var (x, y) in points)
            {
                bins[(int)((y * cos) + (x * sin) + (span / 2f))]++;
            }

            double score = 0;
            foreach (int count in bins)
            {
                score += (double)count * count;
            }

            if (k == 0)
            {
                level = score;
            }

            if (score > bestScore)
            {
                (best, bestScore) = (degrees, score);
            }
        }

        // A profile hardly sharper than the level one is no evidence of a turn (a photo, noise, a single word).
        return (bestScore > level * 1.02 ? best : 0, gr, gg, gb);
    }

    /// <summary>The page turned so that lines rising by <paramref name="degrees"/> become level (bilinear; the corners filled with the ground).</summary>
    public static Page Level(Page page, double degrees, byte r, byte g, byte b)
    {
        double radians = degrees * Math.PI / 180;
        double sin = Math.Sin(radians), cos = Math.Cos(radians);
        int w = page.Width, h = page.Height;
        int outW = (int)Math.Ceiling((w * Math.Abs(cos)) + (h * Math.Abs(sin)));
        int outH = (int)Math.Ceiling((w * Math.Abs(sin)) + (h * Math.Abs(cos)));
        var source = page.Pixels.Span;
        var result = new byte[outW * outH * 3];
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0, ox = (outW - 1) / 2.0, oy = (outH - 1) / 2.0;
        Span<byte> groundColour = [r, g, b];
        for (int y = 0; y < outH; y++)
        {
            for (int x = 0; x < outW; x++)
            {
                // Output (X, Y) = rotation of source (x, y) that levels the lines: X = x cos - y sin, Y = x sin + y cos.
                double dx = x - ox, dy = y - oy;
                double sx = (dx * cos) + (dy * sin) + cx, sy = (-dx * sin) + (dy * cos) + cy;
                int o = ((y * outW) + x) * 3;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h)
                {
                    groundColour.CopyTo(result.AsSpan(o, 3));
                    continue;
                }

                double fx = sx - x0, fy = sy - y0;
                int i00 = ((y0 * w) + x0) * 3, i10 = i00 + 3, i01 = i00 + (w * 3), i11 = i01 + 3;
                for (int c = 0; c < 3; c++)
                {
                    double top = source[i00 + c] + ((source[i10 + c] - source[i00 + c]) * fx);
                    double bottom = source[i01 + c] + ((source[i11 + c] - source[i01 + c]) * fx);
                    result[o + c] = (byte)Math.Clamp(Math.Round(top + ((bottom - top) * fy)), 0, 255);
                }
            }
        }

        return new Page(result, outW, outH);
    }

    /// <summary>Otsu's threshold: the luma at or below which pixels are one class.</summary>
    private static int Otsu(int[] histogram, int total)
    {
        double sum = 0;
        for (int i = 0; i < 256; i++)
        {
            sum += i * (double)histogram[i];
        }

        double sumBelow = 0, bestVariance = -1;
        int below = 0, best = 127;
        for (int t = 0; t < 256; t++)
        {
            below += histogram[t];
            if (below == 0)
            {
                continue;
            }

            int above = total - below;
            if (above == 0)
            {
                break;
            }

            sumBelow += t * (double)histogram[t];
            double meanBelow = sumBelow / below, meanAbove = (sum - sumBelow) / above;
            double variance = (double)below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (variance > bestVariance)
            {
                (bestVariance, best) = (variance, t);
            }
        }

        return best;
    }
}
