using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;

namespace Vigil.Server.Tests;

/// <summary>
/// A reviewer's session in a real browser (Debian's chromium driven by Playwright; never a downloaded browser)
/// against the real <c>vigil serve</c> process. Every page is checked for horizontal overflow at common laptop and
/// desktop widths.
/// </summary>
public sealed class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>A 1,366-pixel laptop and a 1,920-pixel desktop window.</summary>
    private static readonly int[] Widths = [1366, 1920];

    /// <summary>A platform's link: long and without a place to break a line.</summary>
    private static readonly string LongUrl = "https://platform.example/p/" + string.Concat(Enumerable.Repeat("0123456789abcdef", 16));

    [Fact]
    public async Task A_moderator_signs_in_sees_the_blurred_image_decides_with_a_reason_and_the_audit_log_verifies()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is needed (.ci/run installs it): apt-get install chromium");
        string database = Path.Combine(Path.GetTempPath(), $"vigil-browser-{Guid.NewGuid():N}.db");
        try
        {
            Assert.Equal(0, (await VigilCli.RunAsync("moderator password 1\n", "user", "add", "mod", "--role", "moderator", "--password-stdin", "--db", database)).ExitCode);
            Assert.Equal(0, (await VigilCli.RunAsync("admin password 12345\n", "user", "add", "boss", "--role", "admin", "--password-stdin", "--db", database)).ExitCode);
            string key = (await VigilCli.RunAsync(null, "key", "create", "--name", "platform", "--scope", "ingest", "--db", database)).Stdout.Trim();

            await using var server = await ServerProcess.StartAsync(database);
            using (var api = new HttpClient { BaseAddress = server.Address })
            {
                api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                await Submit(api, Fixtures.ClearText, null, "post-1");
                await Submit(api, Fixtures.ReviewText, Fixtures.Png, "post-2");
                // An image cut off after 200 bytes does not decode: case 2, in review with a media.unreadable signal.
                await Submit(api, "A photo from the weekend", Fixtures.Png[..200], "post-3", author: "author-7", url: LongUrl);
            }

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
            // Playwright's 30 s default was once too short for a page load on two cores busy with other work: waits are
            // not what this test measures.
            context.SetDefaultTimeout(120_000);
            context.SetDefaultNavigationTimeout(120_000);
            var page = await context.NewPageAsync();
            var errors = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    errors.Add($"{message.Text} ({message.Location})");
                }
            };

            // Sign in (the queue sends an anonymous visitor to the sign-in page).
            await page.GotoAsync(new Uri(server.Address, "/queue").AbsoluteUri);
            Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
            await AssertNoHorizontalOverflowAsync(page, "the sign-in page");
            await page.GetByLabel("Username").FillAsync("mod");
            await page.GetByLabel("Password").FillAsync("moderator password 1");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync("**/queue");

            // The queue: the flagged items, not the clear one.
            var rows = page.Locator("tbody tr");
            Assert.Equal(2, await rows.CountAsync());
            Assert.Contains("terrorism.propaganda", await rows.Filter(new() { HasText = "Case 1" }).InnerTextAsync(), StringComparison.Ordinal);
            await AssertNoHorizontalOverflowAsync(page, "the queue");
            await page.GetByRole(AriaRole.Link, new() { Name = "Case 1" }).ClickAsync();
            await page.WaitForURLAsync("**/cases/1");

            // The case: evidence highlighted and explained; the image blurred and greyscale until revealed.
            Assert.Equal("amaq", await page.Locator("mark.ev").First.EvaluateAsync<string>("e => e.firstChild.textContent"));
            Assert.Contains("Coded term", await page.Locator("#ev-1").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("UK TA 2006 s.2", await page.ContentAsync(), StringComparison.Ordinal);
            var image = page.Locator("#case-image");
            await image.WaitForAsync();
            await page.WaitForFunctionAsync("() => document.getElementById('case-image').complete && document.getElementById('case-image').naturalWidth > 0");
            Assert.Contains("blurred", await image.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
            string filter = await image.EvaluateAsync<string>("e => getComputedStyle(e).filter");
            Assert.Contains("blur(", filter, StringComparison.Ordinal);
            Assert.Contains("grayscale(", filter, StringComparison.Ordinal);
            Assert.Contains("You hold this case", await page.ContentAsync(), StringComparison.Ordinal);
            Assert.Contains("Seen today", await page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath(), FullPage = true });
            Assert.Equal(0, await page.Locator("#image-unreadable").CountAsync());
            await AssertNoHorizontalOverflowAsync(page, "a case");

            await page.Locator("#reveal").ClickAsync();
            Assert.Equal("none", await image.EvaluateAsync<string>("e => getComputedStyle(e).filter"));
            Assert.Equal("true", await page.Locator("#reveal").GetAttributeAsync("aria-pressed"));
            await page.Locator("#reveal").ClickAsync();
            Assert.Contains("blur(", await image.EvaluateAsync<string>("e => getComputedStyle(e).filter"), StringComparison.Ordinal);

            // A second reviewer cannot take the case while the lease holds.
            var otherContext = await browser.NewContextAsync();
            otherContext.SetDefaultTimeout(120_000);
            otherContext.SetDefaultNavigationTimeout(120_000);
            var other = await otherContext.NewPageAsync();
            await other.GotoAsync(new Uri(server.Address, "/signin").AbsoluteUri);
            await other.GetByLabel("Username").FillAsync("boss");
            await other.GetByLabel("Password").FillAsync("admin password 12345");
            await other.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await other.WaitForURLAsync("**/queue");
            await other.GotoAsync(new Uri(server.Address, "/cases/1").AbsoluteUri);
            Assert.Contains("user:mod is working on this case", await other.ContentAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await other.Locator("#decide").CountAsync());

            // Decide by keyboard: R picks "remove" and moves to the reason; a decision needs a reason.
            await page.Locator("h1").ClickAsync();
            await page.Keyboard.PressAsync("r");
            Assert.True(await page.GetByRole(AriaRole.Radio, new() { Name = "Remove" }).IsCheckedAsync());
            Assert.Equal("reason", await page.EvaluateAsync<string>("() => document.activeElement.id"));
            await page.Keyboard.PressAsync("Control+Enter");
            Assert.Contains("/cases/1", page.Url, StringComparison.Ordinal); // the browser refuses the form without a reason
            await page.Keyboard.TypeAsync($"Shares an official outlet's release; removed under the policy. Also posted at {LongUrl}");
            await page.Keyboard.PressAsync("Control+Enter");
            await page.WaitForURLAsync("**/queue?decided=1");
            Assert.Contains("Decision recorded for case 1", await page.ContentAsync(), StringComparison.Ordinal);
            Assert.Equal(1, await page.Locator("tbody tr").CountAsync());

            // The image that did not decode: said so next to it, with the reason, and in the evidence.
            await page.GetByRole(AriaRole.Link, new() { Name = "Case 2" }).ClickAsync();
            await page.WaitForURLAsync("**/cases/2");
            var unreadable = page.Locator("#image-unreadable");
            Assert.True(await unreadable.IsVisibleAsync());
            string notice = await unreadable.InnerTextAsync();
            Assert.Contains("could not be decoded", notice, StringComparison.Ordinal);
            Assert.Contains("image 'upload' could not be analysed", notice, StringComparison.Ordinal); // the pipeline's reason
            Assert.Contains("could not be analysed", await page.Locator("#evidence").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains(LongUrl, await page.ContentAsync(), StringComparison.Ordinal);
            await AssertNoHorizontalOverflowAsync(page, "a case with an image that does not decode and a long URL");

            await page.GotoAsync(new Uri(server.Address, "/docs").AbsoluteUri);
            await AssertNoHorizontalOverflowAsync(page, "the API page");
            Assert.Empty(errors); // no CSP violations or script errors

            // Pages that answer errors (and so log a failed load in the console): a role that is not enough, no such case.
            await page.GotoAsync(new Uri(server.Address, "/audit").AbsoluteUri);
            Assert.Contains("This needs the admin role", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            await AssertNoHorizontalOverflowAsync(page, "the not-allowed page");
            await page.GotoAsync(new Uri(server.Address, "/cases/999").AbsoluteUri);
            Assert.Contains("There is no case 999", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            await AssertNoHorizontalOverflowAsync(page, "the error page");

            // The admin sees the decision in the audit log, and the chain verifies. Long details are cut short, whole
            // when opened, and the page never grows wider than the window.
            await other.GotoAsync(new Uri(server.Address, "/audit").AbsoluteUri);
            Assert.Contains("The hash chain verifies", await other.Locator("#audit-status").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("case.decided", await other.ContentAsync(), StringComparison.Ordinal);
            await AssertNoHorizontalOverflowAsync(other, "the audit log");
            var decided = other.Locator("tbody tr", new() { HasText = "case.decided" }).Locator("details");
            await decided.Locator("summary").ClickAsync();
            Assert.Contains(LongUrl, await decided.InnerTextAsync(), StringComparison.Ordinal);
            await AssertNoHorizontalOverflowAsync(other, "the audit log with long details open");
            var verify = await VigilCli.RunAsync(null, "audit", "verify", "--db", database);
            Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        }
        finally
        {
            VigilFactory.DeleteDatabase(database);
        }
    }

    /// <summary>Fails when the page is wider than the window (a horizontal scroll bar) at any of <see cref="Widths"/>.</summary>
    private static async Task AssertNoHorizontalOverflowAsync(IPage page, string what)
    {
        var size = page.ViewportSize;
        foreach (int width in Widths)
        {
            await page.SetViewportSizeAsync(width, 900);
            int[] widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            Assert.True(widths[0] <= widths[1], $"{what} is {widths[0]} pixels wide in a {widths[1]}-pixel window");
        }

        if (size is not null)
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
        }
    }

    private static async Task Submit(HttpClient api, string text, byte[]? image, string id, string author = "author-9", string? url = null)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(text), "text" },
            { new StringContent(id), "content_id" },
            { new StringContent(author), "author_id" },
        };
        if (image is not null)
        {
            form.Add(new ByteArrayContent(image), "image", "image.png");
        }

        if (url is not null)
        {
            form.Add(new StringContent(url), "url");
        }

        var response = await api.PostAsync("/v1/content", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        _ = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>docs/screenshot-case.png in the repository (the README links it).</summary>
    private static string ScreenshotPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return Path.Combine(dir.FullName, "docs", "screenshot-case.png");
            }
        }

        return Path.Combine(Path.GetTempPath(), "screenshot-case.png");
    }
}
