"""What an app leaks: secrets and source maps in the files its package ships (a KaiOS
package is a ZIP: everything in it is readable by anyone who has it)."""
