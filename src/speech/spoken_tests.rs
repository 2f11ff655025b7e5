//! Table tests for [`super`]: written words in, spoken words out, on text shaped like the
//! playbook pages listeners hear.

use super::*;

fn prose(text: &str) -> String {
    let mut w = words(&[Piece::Text(text.into())]);
    finish_segment(&mut w);
    w.iter().map(|w| w.spoken.as_str()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

#[test]
fn prose_words_read_as_a_person_would() {
    for (written, said) in [
        ("** Trace Maps ** - one view per request;", "Trace Maps - one view per request."),
        ("**Note:** the user needs **admin** rights.", "Note: the user needs admin rights."),
        ("_Only_ the *first* one", "Only the first one."),
        ("Filter on a field (i.e. the status) first", "Filter on a field (that is the status) first."),
        ("Use a tool, e.g., Postman or curl", "Use a tool, for example, Postman or curl."),
        ("REST vs. SOAP and Platform vs Service APIs", "REST versus SOAP and Platform versus Service APIs."),
        ("Docker, Terraform etc. are used", "Docker, Terraform et cetera are used."),
        ("Sample code in C# and F#.", "Sample code in C sharp and F sharp."),
        ("There are ~60 status codes", "There are about 60 status codes."),
        (
            "It costs $5.00 per million ($0.000005 each) or £1",
            "It costs 5.00 dollars per million (0.000005 dollars each) or 1 pound.",
        ),
        (
            "an integer between -2^31 and 2^31-1",
            "an integer between minus 2 to the power of 31 and 2 to the power of 31 minus 1.",
        ),
        ("Released on 2024-03-05.", "Released on 5 March 2024."),
        ("Our CI/CD pipeline sends alerts and/or emails", "Our C-I CD pipeline sends alerts and or emails."),
        ("Handle batch/bulk requests with 400/500 codes", "Handle batch or bulk requests with 400 or 500 codes."),
        ("Tags: Development / Staging / Production", "Tags: Development, Staging, Production."),
        ("Call /customers/{id}/addresses to list them", "Call addresses path to list them."),
        ("Set DynamoDb_LocalMode to true", "Set dynamo DB local mode to true."),
        ("Send application/merge-patch+json bodies", "Send application merge patch plus JSON bodies."),
        ("Names match ^[a-z][A-Z0-9]*$ in every API", "Names match (code) in every API."),
        ("See https://www.github.com/LBHackney-IT/x for more", "See github.com for more."),
        ("https://github.com/LBHackney-IT/lbh-example-api", "Link to github.com."),
        ("Video Tutorial:", "Video Tutorial."),
        ("Why test?", "Why test?"),
        ("Q&A and 50% off", "Q&A and 50% off."),
        ("Production environments = Warning", "Production environments equals Warning."),
        ("Users -> your username -> .aws", "Users to your username to .aws."),
        ("Use <= 3 levels, e.g. /sales-orders?sort=+id;", "Use at most 3 levels, for example sales orders path."),
        ("Read it (synchronous)", "Read it (synchronous)."),
        // A heading or bold item that ends its sentence and then a colon: one full stop.
        ("**It contains the underlying data source.**:", "It contains the underlying data source."),
        (
            "How to create an app / API with ECS/Fargate hosting setup?:",
            "How to create an app, API with E-C-S or Fargate hosting setup?",
        ),
        ("EG: If our test states a value, we return it", "for example: If our test states a value, we return it."),
        ("Tools, eg. Docker; ie, containers", "Tools, for example Docker; that is, containers."),
        // Acronyms the phonemiser would read as words ("awes", "sigh", "ecks") are spelled.
        (
            "Deploy to AWS and EC2 with the CLI, then check the IDs, the ADRs and AWS's limits in CI",
            "Deploy to A-W-S and E-C-2 with the C-L-I, then check the I-D's, the A-D-R's and A-W-S's limits in C-I.",
        ),
        ("An API, its IDE and AWSOME stay", "An API, its IDE and AWSOME stay."),
    ] {
        assert_eq!(prose(written), said, "{written}");
    }
}

#[test]
fn inline_code_reads_as_words_a_path_or_a_note() {
    for (code, said) in [
        ("AWS_ACCESS_KEY_ID", "AWS access key ID"),
        ("serverless.yml", "serverless dot YAML"),
        ("docker-compose.yml", "docker compose dot YAML"),
        (".editorconfig", "dot editorconfig"),
        ("Program.cs", "program dot C S"),
        ("/customers/{id}/addresses", "addresses path"),
        ("/customers", "customers path"),
        ("terraform/development/main.tf", "main dot T F"),
        ("dateOfBirth", "date of birth"),
        ("GetGreetingForName", "get greeting for name"),
        ("{shipment_order_id}", "shipment order ID"),
        ("main()", "main"),
        ("kms:GenerateDataKey", "KMS generate data key"),
        ("deprecated=true", "deprecated equals true"),
        ("dotnet test", "dotnet test"),
        ("application/json-patch+json", "application JSON patch plus JSON"),
        ("2015-05-28", "28 May 2015"),
        ("2015-05-28T14:07:17Z", "28 May 2015 at 14:07:17 UTC"),
        ("localhost:55678", "localhost 55678"),
        ("^[a-z][A-Z0-9]*$", CODE_NOTE),
        ("arn:aws:execute-api:eu-west-2:123:abc/*", CODE_NOTE),
        ("ssh -i dev_jump.pem -p 2222 ec2-user@127.0.0.1 -N -L 9200:host:443", CODE_NOTE),
        ("https://{API_ID}.execute-api.{AWS_REGION}.amazonaws.com/development/api/", CODE_NOTE),
        ("", ""),
        ("+", "plus"),
        ("[]", CODE_NOTE),
    ] {
        assert_eq!(speak_code(code), said, "{code}");
    }
}

#[test]
fn code_is_glued_to_its_punctuation_and_keeps_its_written_form() {
    let pieces = [
        Piece::Said("2:".into()),
        Piece::Text("Edit ".into()),
        Piece::Code("serverless.yml".into()),
        Piece::Text(". Then".into()),
    ];
    let got = words(&pieces);
    let pairs: Vec<(&str, &str)> = got.iter().map(|w| (w.shown.as_str(), w.spoken.as_str())).collect();
    assert_eq!(pairs, [("", "2:"), ("Edit", "Edit"), ("serverless.yml.", "serverless dot YAML."), ("Then", "Then")]);
}

#[test]
fn run_in_labels_end_their_sentence() {
    let pieces = [
        Piece::Text("Product Name: API Playbook".into()),
        Piece::Break,
        Piece::Text("Version: V4".into()),
        Piece::Break,
        Piece::Text("Release Date: September 2022".into()),
    ];
    let mut got = words(&pieces);
    finish_segment(&mut got);
    let said: Vec<&str> = got.iter().map(|w| w.spoken.as_str()).collect();
    assert_eq!(said.join(" "), "Product Name: API Playbook. Version: V4. Release Date: September 2022.");
    // A wrapped line of prose is not a label.
    let got = words(&[Piece::Text("This line wraps".into()), Piece::Break, Piece::Text("here.".into())]);
    assert_eq!(got.iter().map(|w| w.spoken.as_str()).collect::<Vec<_>>().join(" "), "This line wraps here.");
}

#[test]
fn placeholder_alt_text() {
    for alt in [
        "alt_text",
        "Alt text",
        "image",
        "Pic",
        "pic.",
        "screenshot",
        "Screenshot 2",
        "img_01.png",
        "diagram-v2.svg",
        "",
        "  ",
    ] {
        assert!(is_placeholder_alt(alt), "{alt:?} is a placeholder");
    }
    for alt in [
        "Architecture diagram",
        "Clean Architecture",
        "Select role - AWS Console",
        "S3 Bucket",
        "Gitflow Diagram",
        "Version 2.0 of the form",
    ] {
        assert!(!is_placeholder_alt(alt), "{alt:?} describes its image");
    }
}

#[test]
fn identifiers_split_into_words() {
    for (ident, said) in [
        ("AWS_ACCESS_KEY_ID", "AWS access key ID"),
        ("hackneyToken", "hackney token"),
        ("HTTPServer", "HTTP server"),
        ("S3Bucket", "S3 bucket"),
        ("your-api-name-production", "your API name production"),
        ("__init__", "init"),
    ] {
        assert_eq!(identifier(ident), said, "{ident}");
    }
}
