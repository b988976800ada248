# bash completion for warden
_warden() {
  local cur prev cmd
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  cmd=${COMP_WORDS[1]}
  local report="-f --format -o --output --report --sarif-base --fail-on --threshold
    --baseline --fail-on-new --ignore --no-color -q --quiet -h --help"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "scan iac inspect checks history diff version help" -- "$cur"))
    return
  fi
  case $prev in
    -f|--format) COMPREPLY=($(compgen -W "term json jsonl sarif html md junit" -- "$cur")); return ;;
    --fail-on|--fail-on-new) COMPREPLY=($(compgen -W "critical high medium low info none" -- "$cur")); return ;;
    --report) COMPREPLY=($(compgen -W "json: jsonl: sarif: html: md: junit: term:" -- "$cur")); compopt -o nospace 2>/dev/null; return ;;
    --sarif-base|--root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    -o|--output|--baseline|--ignore|--spec|--cacert|--cert|--key|--iac|--inspect-report|--jwt-wordlist|--signatures|--templates|-l|--list|--db)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --api-key-in) COMPREPLY=($(compgen -W "header query" -- "$cur")); return ;;
  esac
  local opts=$report
  case $cmd in
    scan) opts="$opts --spec --no-discovery --auth-required --scope -c --concurrency --rate --timeout
      --max-time --body-cap --max-requests -H --header -k --insecure --cacert --cert --key --proxy --bearer --api-key
      --api-key-in --basic --cookie --as2 --jwt-wordlist --iac --inspect-report --active --allow-delete
      --max-writes --burst -l --list --parallel --per-host --shard -4 -6 --ipv4 --ipv6
      --auth-cmd --oauth2-token-url --client-id --client-secret --oauth2-scope --canary --signatures --templates
      -v --verbose --db" ;;
    iac) opts="$opts --list-rules" ;;
    inspect) opts="$opts --root --no-probe --probe-timeout" ;;
    history) opts="--db --target -f --format -h --help" ;;
    diff) opts="--db -f --format -h --help" ;;
    *) opts="" ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -F _warden warden
