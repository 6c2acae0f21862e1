// D-pad navigation over the elements with [data-nav] inside the component.
export default {
  data () {
    return { navIndex: 0 }
  },
  mounted () {
    document.addEventListener('keydown', this.onNavKey)
    this.$nextTick(() => this.focusNav(0))
  },
  beforeDestroy () {
    document.removeEventListener('keydown', this.onNavKey)
  },
  methods: {
    navItems () {
      return Array.from(this.$el.querySelectorAll('[data-nav]'))
    },
    focusNav (index) {
      const items = this.navItems()
      if (!items.length) return
      this.navIndex = (index + items.length) % items.length
      items[this.navIndex].focus()
      items[this.navIndex].scrollIntoView({ block: 'nearest' })
    },
    onNavKey (evt) {
      if (evt.key === 'ArrowDown') this.focusNav(this.navIndex + 1)
      else if (evt.key === 'ArrowUp') this.focusNav(this.navIndex - 1)
      else if (evt.key === 'SoftLeft') this.$emit('softleft')
      else if (evt.key === 'SoftRight') this.$emit('softright')
      else if (evt.key === 'Enter') this.$emit('select', this.navIndex)
    }
  }
}
