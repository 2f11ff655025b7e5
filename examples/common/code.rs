//! Code blocks (Rust, C#, YAML) and GFM tables for generated pages: plausible shapes filled with
//! names from the word lists, so highlighting and table rendering see realistic input.

use super::rng::Rng;
use super::text::{identifier, sentence};
use super::words::{ADJECTIVES, NOUNS, VERBS, capitalise};

/// A fenced code block's language and code (without the fences).
pub struct CodeSample {
    pub language: &'static str,
    pub code: String,
}

/// A code block in Rust, C# or YAML.
pub fn code_block(rng: &mut Rng) -> CodeSample {
    match rng.below(3) {
        0 => CodeSample { language: "rust", code: rust(rng) },
        1 => CodeSample { language: "csharp", code: csharp(rng) },
        _ => CodeSample { language: "yaml", code: yaml(rng) },
    }
}

fn pascal(word: &str) -> String {
    capitalise(word)
}

fn rust(rng: &mut Rng) -> String {
    let (noun, other, verb) = (rng.pick(NOUNS), rng.pick(NOUNS), rng.pick(VERBS));
    let (ty, out) = (pascal(noun), pascal(other));
    let field = identifier(rng).to_lowercase();
    let comment = sentence(rng);
    let limit = rng.between(2, 500);
    format!(
        "/// {comment}\n\
         pub fn {verb}_{noun}({noun}: &{ty}, limit: usize) -> Result<{out}, Error> {{\n\
         \x20   let {other} = {noun}.{field}.iter().take(limit).collect::<Vec<_>>();\n\
         \x20   if {other}.len() > {limit} {{\n\
         \x20       return Err(Error::TooMany {{ found: {other}.len() }});\n\
         \x20   }}\n\
         \x20   let value = {other}.first().ok_or(Error::Missing(\"{field}\"))?;\n\
         \x20   Ok({out}::from(*value))\n\
         }}\n\n\
         #[cfg(test)]\n\
         mod tests {{\n\
         \x20   #[test]\n\
         \x20   fn {verb}_rejects_an_empty_{noun}() {{\n\
         \x20       assert!(super::{verb}_{noun}(&Default::default(), 1).is_err());\n\
         \x20   }}\n\
         }}\n"
    )
}

fn csharp(rng: &mut Rng) -> String {
    let (noun, other, verb) = (rng.pick(NOUNS), rng.pick(NOUNS), rng.pick(VERBS));
    let (ty, gateway, action) = (pascal(noun), pascal(other), pascal(verb));
    let route = format!("api/v{}/{}", rng.between(1, 3), super::words::plural(noun));
    format!(
        "[ApiController]\n\
         [Route(\"{route}\")]\n\
         public class {ty}Controller : ControllerBase\n\
         {{\n\
         \x20   private readonly I{gateway}Gateway _gateway;\n\n\
         \x20   public {ty}Controller(I{gateway}Gateway gateway)\n\
         \x20   {{\n\
         \x20       _gateway = gateway;\n\
         \x20   }}\n\n\
         \x20   [HttpGet(\"{{id}}\")]\n\
         \x20   public async Task<IActionResult> {action}{ty}(Guid id)\n\
         \x20   {{\n\
         \x20       var {noun} = await _gateway.Get{ty}ById(id).ConfigureAwait(false);\n\
         \x20       if ({noun} == null) return NotFound();\n\
         \x20       return Ok({noun}.ToResponse());\n\
         \x20   }}\n\
         }}\n"
    )
}

fn yaml(rng: &mut Rng) -> String {
    let (noun, other, verb) = (rng.pick(NOUNS), rng.pick(NOUNS), rng.pick(VERBS));
    let adjective = rng.pick(ADJECTIVES);
    let timeout = rng.between(3, 30) * 10;
    format!(
        "service: {noun}-{other}-api\n\
         provider:\n\
         \x20 name: aws\n\
         \x20 runtime: dotnet8\n\
         \x20 stage: ${{opt:stage}}\n\
         \x20 region: eu-west-2\n\
         functions:\n\
         \x20 {verb}{ty}:\n\
         \x20   handler: {ty}Api::{ty}Api.LambdaEntryPoint::FunctionHandlerAsync\n\
         \x20   timeout: {timeout}\n\
         \x20   environment:\n\
         \x20     {upper}_TABLE: {noun}-{other}\n\
         \x20     {adj_upper}_MODE: \"true\"\n\
         \x20   events:\n\
         \x20     - http:\n\
         \x20         path: /api/v1/{noun}/{{proxy+}}\n\
         \x20         method: ANY\n",
        ty = pascal(noun),
        upper = noun.to_uppercase(),
        adj_upper = adjective.to_uppercase(),
    )
}

/// A GFM table of settings: header, alignment row and 3–6 rows.
pub fn table(rng: &mut Rng) -> String {
    let what = capitalise(rng.pick(NOUNS));
    let mut out = format!("| {what} | Type | Required | Notes |\n| --- | :---: | :---: | --- |\n");
    for _ in 0..rng.between(3, 6) {
        let kind = rng.pick(&["string", "integer", "boolean", "list", "object"]);
        let required = if rng.chance(50) { "yes" } else { "no" };
        let note = sentence(rng);
        out.push_str(&format!("| `{}` | {kind} | {required} | {note} |\n", identifier(rng)));
    }
    out
}
