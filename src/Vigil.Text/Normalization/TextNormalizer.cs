namespace Vigil.Text.Normalization;

/// <summary>
/// Normalises text so that detectors see through common evasions, keeping a map back to the original offsets.
/// </summary>
/// <remarks>
/// In order: Unicode compatibility folding (NFKC-equivalent, then diacritics dropped), zero-width, bidi and other
/// invisible characters removed, Cyrillic and Greek look-alikes folded to Latin in mostly-Latin text, small
/// capitals and similar look-alikes folded, Arabic normalisation (alef variants, taa marbuta, alef maqsura, hamza
/// carriers, diacritics, tatweel), lower case, apostrophes removed, dashes and all white space to a single space;
/// then per word: letters spaced or dotted apart joined (<c>I.S.I.S</c>, <c>k h i l a f a</c>), leetspeak undone
/// (<c>1→i 0→o 3→e 4→a 5→s 7→t @→a $→s !→i</c>) where a word mixes letters and such symbols, and runs of three or
/// more of the same letter collapsed to one.
/// The same normaliser is applied to list entries and to text, so both meet in the same form.
/// </remarks>
public static class TextNormalizer
{
    // Working buffers, reused by each thread (the result copies what it keeps).
    [ThreadStatic]
    private static Units? t_folded;
    [ThreadStatic]
    private static Units? t_rewritten;
    [ThreadStatic]
    private static Units? t_word;

    public static NormalizedText Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = Units.Reuse(ref t_folded, text.Length + 8);
        FoldCharacters(text, folded);
        var result = Units.Reuse(ref t_rewritten, folded.Count);
        RewriteWords(folded, result, Units.Reuse(ref t_word, 32));
        return new NormalizedText(text, new string(result.Chars, 0, result.Count), result.Starts[..result.Count], result.Ends[..result.Count]);
    }

    /// <summary>Normalises and returns only the normalised string (for list entries and training).</summary>
    public static string NormalizeToString(string text) => Normalize(text).Value;

    // ---- Stage 1: character folding -------------------------------------------------------------------------

    private static void FoldCharacters(string text, Units units)
    {
        units.Source = text;
        bool foldScripts = HasNonAscii(text) && IsMostlyLatin(text);
        bool pendingSpace = false;
        int spaceStart = 0, spaceEnd = 0;

        for (int i = 0; i < text.Length;)
        {
            char c = text[i];
            string folded;
            int width = 1;
            if (c < 0x80)
            {
                if (c is >= 'A' and <= 'Z')
                {
                    Emit(units, (char)(c | 0x20), i, i + 1, ref pendingSpace, spaceStart, spaceEnd);
                    i++;
                    continue;
                }

                if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
                {
                    Emit(units, c, i, i + 1, ref pendingSpace, spaceStart, spaceEnd);
                    i++;
                    continue;
                }

                folded = CharMaps.Fold(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                folded = CharMaps.FoldSupplementary(c, text[i + 1]);
                width = 2;
            }
            else if (foldScripts && CharMaps.IsScriptConfusable(c, out char latin))
            {
                folded = CharMaps.Fold(latin);
            }
            else
            {
                folded = CharMaps.Fold(c);
            }

            if (folded.Length == 0)
            {
                // Dropped invisible characters and marks: the previous character's span grows over them, so
                // evidence that ends on a word still covers what decorated it. (Not apostrophes: punctuation.)
                if (units.Count > 0 && !pendingSpace && !CharMaps.IsApostrophe(c))
                {
                    units.Ends[units.Count - 1] = i + width;
                }
            }
            else if (folded == " ")
            {
                if (!pendingSpace)
                {
                    pendingSpace = true;
                    spaceStart = i;
                }

                spaceEnd = i + width;
            }
            else
            {
                foreach (char f in folded)
                {
                    if (f == ' ')
                    {
                        if (!pendingSpace)
                        {
                            pendingSpace = true;
                            spaceStart = i;
                        }

                        spaceEnd = i + width;
                    }
                    else
                    {
                        Emit(units, f, i, i + width, ref pendingSpace, spaceStart, spaceEnd);
                    }
                }
            }

            i += width;
        }
    }

    private static void Emit(Units units, char c, int start, int end, ref bool pendingSpace, int spaceStart, int spaceEnd)
    {
        if (pendingSpace)
        {
            if (units.Count > 0)
            {
                units.Add(' ', spaceStart, spaceEnd);
            }

            pendingSpace = false;
        }

        units.Add(c, start, end);
    }

    private static bool HasNonAscii(string text)
    {
        foreach (char c in text)
        {
            if (c >= 0x80)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsMostlyLatin(string text)
    {
        int latin = 0, other = 0;
        foreach (char c in text)
        {
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '\u00C0' and <= '\u024F'))
            {
                latin++;
            }
            else if (c is (>= '\u0370' and <= '\u03FF') or (>= '\u0400' and <= '\u052F'))
            {
                other++;
            }
        }

        return latin > 0 && latin >= other;
    }

    // ---- Stage 2: word rewrites ------------------------------------------------------------------------------

    private static void RewriteWords(Units input, Units output, Units word)
    {
        int n = input.Count;
        int i = 0;
        bool afterSpacedWord = false;
        while (i < n)
        {
            // A run of three or more one-letter words ("k h i l a f a", "I S I S") becomes one word. A wider gap ends
            // the run ("j o i n  t h e" is two words), and then a run of two letters next to it is a word too ("i s").
            int runEnd = SpacedLetterRunEnd(input, i, out int letters, out bool endsAtWiderGap);
            bool spacedWord = letters >= 3 || (letters == 2 && (endsAtWiderGap || afterSpacedWord));
            afterSpacedWord = spacedWord && endsAtWiderGap;
            if (spacedWord)
            {
                word.Clear();
                for (int k = i; k < runEnd; k++)
                {
                    char ch = input.Chars[k];
                    if (ch != ' ' && !IsLetterSeparator(ch))
                    {
                        word.Add(ch, input.Starts[k], input.Ends[k]);
                    }
                    else if (word.Count > 0)
                    {
                        word.Ends[word.Count - 1] = Math.Max(word.Ends[word.Count - 1], input.Ends[k]);
                    }
                }

                AppendWord(word, output);
                i = runEnd;
            }
            else
            {
                int end = i;
                while (end < n && input.Chars[end] != ' ')
                {
                    end++;
                }

                word.Clear();
                for (int k = i; k < end; k++)
                {
                    word.Add(input.Chars[k], input.Starts[k], input.Ends[k]);
                }

                AppendWord(word, output);
                i = end;
            }

            if (i < n && input.Chars[i] == ' ')
            {
                if (output.Count > 0 && output.Chars[output.Count - 1] != ' ')
                {
                    output.Add(' ', input.Starts[i], input.Ends[i]);
                }

                i++;
            }
        }

        if (output.Count > 0 && output.Chars[output.Count - 1] == ' ')
        {
            output.Count--;
        }
    }

    /// <summary>How wide the white space of unit <paramref name="k"/> looks: a space counts 1, a tab 4, a line break 8
    /// ("j o i n\tt h e" is two words).</summary>
    private static int GapWidth(Units input, int k)
    {
        int width = 0;
        for (int j = input.Starts[k]; j < input.Ends[k] && j < input.Source.Length; j++)
        {
            width += input.Source[j] switch
            {
                '\t' => 4,
                '\n' or '\r' or '\u2028' or '\u2029' => 8,
                _ => 1,
            };
        }

        return width;
    }

    /// <summary>
    /// Looks for one-letter words from <paramref name="start"/>: each a letter (or a leet symbol), optionally
    /// followed by one separator ("k. h. i."). Returns where the run ends (at the space after its last word).
    /// The run also ends at a gap wider than its first one (<see cref="GapWidth"/>): that gap separates words.
    /// </summary>
    private static int SpacedLetterRunEnd(Units input, int start, out int letters, out bool endsAtWiderGap)
    {
        letters = 0;
        endsAtWiderGap = false;
        int firstGap = -1;
        int realLetters = 0;
        int i = start;
        int lastGood = start;
        while (i < input.Count)
        {
            int end = i;
            while (end < input.Count && input.Chars[end] != ' ')
            {
                end++;
            }

            // One letter, optionally with one separator after it ("k."), or, at the ends of the run, with
            // punctuation before ("(k") or after ("k)."), which stays outside the joined word.
            int core = i, coreEnd = end;
            if (letters == 0)
            {
                while (core < coreEnd - 1 && IsOpeningPunctuation(input.Chars[core]))
                {
                    core++;
                }
            }

            while (coreEnd - core > 1 && !char.IsLetterOrDigit(input.Chars[coreEnd - 1]))
            {
                coreEnd--;
            }

            int len = coreEnd - core;
            char first = input.Chars[core];
            bool trailing = end - coreEnd > 1 || (end - coreEnd == 1 && !IsLetterSeparator(input.Chars[coreEnd]));
            bool single = len == 1 && (char.IsLetter(first) || LeetLetter(first) != '\0') && (core == i || letters == 0);
            if (!single)
            {
                break;
            }

            letters++;
            if (char.IsLetter(first))
            {
                realLetters++;
            }

            lastGood = end;
            if (end >= input.Count || trailing)
            {
                break; // trailing punctuation ends the spaced word
            }

            int gap = GapWidth(input, end);
            if (firstGap < 0)
            {
                firstGap = gap;
            }
            else if (gap > firstGap)
            {
                endsAtWiderGap = true;
                break;
            }

            i = end + 1;
        }

        if (realLetters < 2)
        {
            letters = 0;
        }

        return lastGood;
    }

    private static bool IsOpeningPunctuation(char c) => c is '(' or '[' or '{' or '"' or '\u201C' or '\u00AB' or '<';

    private static bool IsLetterSeparator(char c) => c is '.' or '*' or '_' or '\u00B7' or '\u2022' or '/' or '|' or '+' or '~';

    private static void AppendWord(Units word, Units output)
    {
        if (word.Count == 0)
        {
            return;
        }

        JoinDottedLetters(word);
        UndoLeet(word);
        CollapseRepeats(word);
        for (int k = 0; k < word.Count; k++)
        {
            output.Add(word.Chars[k], word.Starts[k], word.Ends[k]);
        }
    }

    /// <summary>"i.s.i.s", "i*s*i*s" → "isis": letters alternating with one separator, at least three letters;
    /// trailing punctuation ("q.i.s.a.s?") is kept as it is.</summary>
    private static void JoinDottedLetters(Units word)
    {
        int n = word.Count;
        while (n > 0 && !char.IsLetterOrDigit(word.Chars[n - 1]) && word.Chars[n - 1] is not ('@' or '$' or '!'))
        {
            n--;
        }

        if (n < 5)
        {
            return;
        }

        // "s.p.a.c.e." ends with the separator itself (as abbreviations do): it goes with the letters.
        if (word.Count - n == 1 && word.Chars[n] == word.Chars[1])
        {
            n++;
        }

        int tail = word.Count - n;
        int trimmed = IsLetterSeparator(word.Chars[n - 1]) ? n - 1 : n;
        if (trimmed % 2 == 0)
        {
            return;
        }

        char sep = word.Chars[1];
        if (!IsLetterSeparator(sep))
        {
            return;
        }

        for (int k = 0; k < trimmed; k++)
        {
            char ch = word.Chars[k];
            bool ok = k % 2 == 0 ? char.IsLetter(ch) || LeetLetter(ch) != '\0' : ch == sep;
            if (!ok)
            {
                return;
            }
        }

        int w = 0;
        for (int k = 0; k < n; k++)
        {
            if (k % 2 == 0 && k < trimmed)
            {
                word.Chars[w] = word.Chars[k];
                word.Starts[w] = word.Starts[k];
                word.Ends[w] = word.Ends[k];
                w++;
            }
            else
            {
                word.Ends[w - 1] = word.Ends[k];
            }
        }

        for (int k = n; k < n + tail; k++)
        {
            word.Chars[w] = word.Chars[k];
            word.Starts[w] = word.Starts[k];
            word.Ends[w] = word.Ends[k];
            w++;
        }

        word.Count = w;
    }

    private static char LeetLetter(char c) => c switch
    {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '@' => 'a',
        '$' => 's',
        '!' => 'i',
        _ => '\0',
    };

    /// <summary>
    /// Undoes leetspeak in a word that mixes letters with leet symbols ("1s1s", "k1ll", "$upport", "d4wl4h"),
    /// but not in numbers ("2015"), mentions ("@user"), or numbers with unit suffixes ("1st", "10am", "5g"). Words
    /// glued together by full stops, commas or semicolons ("supp0rt.but", "n0p3..n3v3r") are undone part by part,
    /// unless the word looks like a link or an address ('/', ':' or an '@' inside).
    /// </summary>
    private static void UndoLeet(Units word)
    {
        int first = 0, last = word.Count - 1;
        // Leading punctuation and '#' are skipped. A leading '@' is a mention, kept as written, unless the word
        // holds another '@' or '$' ("@ll@h") or a leet digit between two letters ("@cr0ss"), as user names
        // ("@user1") seldom do.
        while (first <= last && !char.IsLetterOrDigit(word.Chars[first]) && word.Chars[first] != '$' && !IsLeadingLeetI(word, first, last))
        {
            if (word.Chars[first] == '@')
            {
                if (!ContainsAny(word, first + 1, last, '@', '$') && !HasInteriorLeetDigit(word, first + 1, last))
                {
                    return;
                }

                break;
            }

            first++;
        }

        if (!GluedByPunctuation(word, first, last))
        {
            UndoLeet(word, first, last);
            return;
        }

        int start = first;
        for (int k = first; k <= last + 1; k++)
        {
            if (k > last || word.Chars[k] is '.' or ',' or ';')
            {
                int part = start;
                while (part < k && !char.IsLetterOrDigit(word.Chars[part]) && word.Chars[part] is not '$' && !IsLeadingLeetI(word, part, k - 1))
                {
                    part++;
                }

                UndoLeet(word, part, k - 1);
                start = k + 1;
            }
        }
    }

    /// <summary>Whether [first, last] holds a full stop, comma or semicolon inside it and nothing that makes it a link or
    /// an address ("www.", '/', ':', an '@' after the first character).</summary>
    private static bool GluedByPunctuation(Units word, int first, int last)
    {
        if (last - first >= 3 && char.ToLowerInvariant(word.Chars[first]) == 'w' && char.ToLowerInvariant(word.Chars[first + 1]) == 'w'
            && char.ToLowerInvariant(word.Chars[first + 2]) == 'w' && word.Chars[first + 3] == '.')
        {
            return false; // www.…
        }

        bool glued = false;
        for (int k = first; k <= last; k++)
        {
            char ch = word.Chars[k];
            if (ch is '/' or ':' || (ch == '@' && k > first))
            {
                return false;
            }

            glued |= ch is '.' or ',' or ';' && k > first && k < last;
        }

        return glued;
    }

    /// <summary>Undoes leetspeak in the word part [first, last], which starts with a letter or a leet symbol.</summary>
    private static void UndoLeet(Units word, int first, int last)
    {
        while (last >= first && !char.IsLetterOrDigit(word.Chars[last]) && word.Chars[last] is not ('@' or '$'))
        {
            last--;
        }

        if (last - first < 1)
        {
            return;
        }

        int letters = 0, leet = 0;
        for (int k = first; k <= last; k++)
        {
            char ch = word.Chars[k];
            if (char.IsLetter(ch))
            {
                letters++;
            }
            else if (LeetLetter(ch) != '\0')
            {
                leet++;
            }
            else
            {
                // other punctuation inside (a URL, an e-mail address, a time) or a digit with no letter value
                // (2, 6, 8, 9: a number): leave the word alone
                return;
            }
        }

        if (letters == 0 || leet == 0 || IsNumberWithUnit(word, first, last))
        {
            return;
        }

        for (int k = first; k <= last; k++)
        {
            char mapped = LeetLetter(word.Chars[k]);
            if (mapped != '\0')
            {
                word.Chars[k] = mapped;
            }
        }
    }

    /// <summary>A '!' for an 'i' at the start of a word ("!slamic", "!mp0r7an7"): followed by at least three letters
    /// or leet symbols, the first three including a letter.</summary>
    private static bool IsLeadingLeetI(Units word, int at, int last)
    {
        if (word.Chars[at] != '!' || last - at < 3)
        {
            return false;
        }

        bool letter = false;
        for (int k = at + 1; k <= at + 3; k++)
        {
            char ch = word.Chars[k];
            if (!char.IsLetter(ch) && LeetLetter(ch) == '\0')
            {
                return false;
            }

            letter |= char.IsLetter(ch);
        }

        return letter;
    }

    private static bool HasInteriorLeetDigit(Units word, int from, int to)
    {
        for (int k = from + 1; k < to; k++)
        {
            if (char.IsDigit(word.Chars[k]) && LeetLetter(word.Chars[k]) != '\0' && char.IsLetter(word.Chars[k - 1]))
            {
                int next = k + 1;
                while (next <= to && char.IsDigit(word.Chars[next]))
                {
                    next++;
                }

                if (next <= to && char.IsLetter(word.Chars[next]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ContainsAny(Units word, int from, int to, char a, char b)
    {
        for (int k = from; k <= to; k++)
        {
            if (word.Chars[k] == a || word.Chars[k] == b)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly HashSet<string> UnitSuffixes = new(StringComparer.Ordinal)
    {
        "st", "nd", "rd", "th", "s", "am", "pm", "k", "m", "g", "x", "d", "p", "h", "min", "kg", "km", "mm", "cm",
        "ml", "mb", "gb", "tb", "yrs", "yr", "hrs", "hr", "mph", "kmh", "ft", "lbs", "lb", "v", "w", "b", "e", "er",
    };

    private static bool IsNumberWithUnit(Units word, int first, int last)
    {
        int k = first;
        while (k <= last && char.IsDigit(word.Chars[k]))
        {
            k++;
        }

        if (k == first)
        {
            // Letters first, digits only at the end: a code or a version ("mp3", "covid19", "win98") when the
            // digits include one with no letter value or the letters are a short prefix; otherwise leet ("w4s").
            int j = last;
            while (j >= first && char.IsDigit(word.Chars[j]))
            {
                j--;
            }

            for (int m = first; m <= j; m++)
            {
                if (!char.IsLetter(word.Chars[m]))
                {
                    return false;
                }
            }

            if (j == last)
            {
                return false;
            }

            for (int m = j + 1; m <= last; m++)
            {
                if (LeetLetter(word.Chars[m]) == '\0')
                {
                    return true;
                }
            }

            return j - first + 1 <= 2 && last - j == 1;
        }

        for (int m = k; m <= last; m++)
        {
            if (!char.IsLetter(word.Chars[m]))
            {
                return false;
            }
        }

        return UnitSuffixes.Contains(new string(word.Chars, k, last - k + 1));
    }

    /// <summary>Three or more of the same letter or symbol in a row become one ("killlll" → "kil", "!!!" → "!").</summary>
    private static void CollapseRepeats(Units word)
    {
        int w = 0;
        int k = 0;
        while (k < word.Count)
        {
            char ch = word.Chars[k];
            int run = 1;
            while (k + run < word.Count && word.Chars[k + run] == ch)
            {
                run++;
            }

            if (run >= 3 && !char.IsDigit(ch))
            {
                word.Chars[w] = ch;
                word.Starts[w] = word.Starts[k];
                word.Ends[w] = word.Ends[k + run - 1];
                w++;
            }
            else
            {
                for (int m = 0; m < run; m++)
                {
                    word.Chars[w] = word.Chars[k + m];
                    word.Starts[w] = word.Starts[k + m];
                    word.Ends[w] = word.Ends[k + m];
                    w++;
                }
            }

            k += run;
        }

        word.Count = w;
    }

    /// <summary>A growable list of characters with the original span of each.</summary>
    private sealed class Units(int capacity)
    {
        public char[] Chars = new char[Math.Max(4, capacity)];
        public int[] Starts = new int[Math.Max(4, capacity)];
        public int[] Ends = new int[Math.Max(4, capacity)];
        public int Count;

        /// <summary>The text the units were folded from (their offsets point into it).</summary>
        public string Source = "";

        public void Add(char c, int start, int end)
        {
            if (Count == Chars.Length)
            {
                int size = Chars.Length * 2;
                Array.Resize(ref Chars, size);
                Array.Resize(ref Starts, size);
                Array.Resize(ref Ends, size);
            }

            Chars[Count] = c;
            Starts[Count] = start;
            Ends[Count] = end;
            Count++;
        }

        public void Clear() => Count = 0;

        /// <summary>The thread's cached units, emptied, with room for <paramref name="capacity"/> (fresh ones for very long
        /// texts, so that no thread keeps megabytes of buffers).</summary>
        public static Units Reuse(ref Units? cached, int capacity)
        {
            if (capacity > MaxCachedCapacity)
            {
                return new Units(capacity);
            }

            if (cached is null || cached.Chars.Length < capacity)
            {
                cached = new Units(Math.Max(capacity, 256));
            }

            cached.Count = 0;
            cached.Source = "";
            return cached;
        }

        private const int MaxCachedCapacity = 1 << 16;
    }
}
